package io.keel.meta.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * This node's member of one Raft group, asked in-process while it leads (ADR 0054): a read or a
 * write then costs no network hop, no serialisation and no client thread hand-off. While another
 * member leads, every call answers empty and the caller goes over the network as before.
 *
 * <p>A read is Ratis' own linearizable read on the leader (its lease, its applied index), so it
 * sees every write acknowledged anywhere. A write is submitted under this object's client id with
 * a fresh call id: if the leader loses its leadership after accepting it, its outcome is unknown,
 * exactly as for a network client that gave up, and it is reported as such.
 */
public final class LocalLeader {
    private final Supplier<RaftServer> server;
    private final RaftGroupId groupId;
    private final Duration timeout;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    LocalLeader(Supplier<RaftServer> server, RaftGroupId groupId, Duration timeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The server if its member of the group leads now and has committed an entry of its term. */
    private Optional<RaftServer> leading() {
        RaftServer s = server.get();
        if (s == null) {
            return Optional.empty();
        }
        try {
            DivisionInfo info = s.getDivision(groupId).getInfo();
            return info.isLeader() && info.isLeaderReady() ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not hosted here (any more)
        }
    }

    /** Whether this node's member leads the group now. */
    public boolean leads() {
        return leading().isPresent();
    }

    /**
     * A linearizable read answered here, or empty when this member does not lead or could not
     * answer (the caller then reads over the network; a read has no side effect to repeat).
     */
    Optional<RaftClientReply> query(Message query) {
        Optional<RaftServer> s = leading();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            RaftClientReply reply = call(s.get(), query, RaftClientRequest.readRequestType());
            return reply.isSuccess() || reply.getStateMachineException() != null ? Optional.of(reply) : Optional.empty();
        } catch (MetaUnavailableException e) {
            return Optional.empty();
        }
    }

    /**
     * A write submitted here, or empty when this member does not lead (nothing was submitted).
     *
     * @throws MetaUnavailableException if it was submitted but no success came back in time: its
     *     outcome is unknown
     */
    Optional<RaftClientReply> submit(Message command) throws MetaUnavailableException {
        Optional<RaftServer> s = leading();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        RaftClientReply reply = call(s.get(), command, RaftClientRequest.writeRequestType());
        if (!reply.isSuccess() && reply.getStateMachineException() == null) {
            throw new MetaUnavailableException("write to group " + groupId.getUuid() + " on its local leader failed: "
                    + reply.getException(), reply.getException());
        }
        return Optional.of(reply);
    }

    private RaftClientReply call(RaftServer s, Message message, RaftClientRequest.Type type)
            throws MetaUnavailableException {
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(s.getId())
                .setGroupId(groupId).setCallId(callIds.incrementAndGet()).setMessage(message).setType(type)
                .setTimeoutMs(timeout.toMillis()).build();
        CompletableFuture<RaftClientReply> future;
        try {
            future = s.submitClientRequestAsync(request);
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new MetaUnavailableException("call to group " + groupId.getUuid() + " on its local member: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaUnavailableException("interrupted calling group " + groupId.getUuid(), e);
        }
    }

    /**
     * Asks the group's current leader to hand its leadership to this node's member, and waits for
     * the answer. Nothing happens when this member leads already.
     *
     * @throws IOException if this server does not host the group, there is no leader, or the leader
     *     refused or did not answer in time
     */
    public void takeLeadership() throws IOException {
        RaftServer s = server.get();
        if (s == null) {
            throw new IOException("the local Raft server is not running");
        }
        RaftServer.Division d = s.getDivision(groupId);
        if (d.getInfo().isLeader()) {
            return;
        }
        RaftPeerId leader = d.getInfo().getLeaderId();
        if (leader == null) {
            throw new IOException("group " + groupId.getUuid() + " has no leader to hand over");
        }
        List<org.apache.ratis.protocol.RaftPeer> peers = List.copyOf(d.getRaftConf().getCurrentPeers());
        try (RaftClient c = RaftClient.newBuilder().setClientId(ClientId.randomId())
                .setRaftGroup(RaftGroup.valueOf(groupId, peers)).setLeaderId(leader)
                .setProperties(RaftConfig.client(timeout)).build()) {
            RaftClientReply reply = c.admin().transferLeadership(s.getId(), timeout.toMillis());
            if (!reply.isSuccess()) {
                throw new IOException("transfer of group " + groupId.getUuid() + " to " + s.getId() + " failed: "
                        + reply.getException(), reply.getException());
            }
        }
    }
}
