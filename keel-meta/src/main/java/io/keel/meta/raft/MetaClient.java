package io.keel.meta.raft;

import io.keel.meta.store.KvReader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits commands to, and reads from, the metadata Raft group over the network; usable from any
 * node, including nodes that host no replica.
 *
 * <p>Retries are Ratis' own, so a retried write keeps its call id and the leader's retry cache
 * applies it at most once. They stop once {@code requestTimeout} has elapsed since the first
 * attempt; because the attempt in flight may itself take up to {@code requestTimeout}, a call
 * fails after at most about twice that.
 */
public final class MetaClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetaClient.class);
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    /**
     * @param result the bytes the {@link io.keel.meta.store.ReplicatedLogic} returned
     * @param logIndex the Raft log index the command was committed and applied at
     */
    public record SubmitResult(byte[] result, long logIndex) {
        public SubmitResult {
            Objects.requireNonNull(result, "result");
        }
    }

    private final RaftGroupId groupId;
    private final Duration requestTimeout;
    private final ClientId clientId = ClientId.randomId();
    private final Object lock = new Object();
    private Handle client;
    private boolean closed;

    /**
     * A RaftClient and the calls running on it. A client replaced by {@link #updatePeers} is closed
     * only once its last call has returned: closing it earlier would fail a write that may already
     * be committed, and resubmitting that write on the new client would get a new call id, which
     * the leader's retry cache cannot recognise, so the write would be applied twice.
     */
    private static final class Handle {
        final RaftClient raft;
        final Set<Peer> peers;
        int inFlight;
        boolean retired;
        /** The server that last answered a read as leader; reads go straight to it (see readOn). */
        volatile RaftPeerId readLeader;

        Handle(RaftClient raft, List<Peer> peers) {
            this.raft = raft;
            this.peers = Set.copyOf(peers);
        }
    }

    public MetaClient(String groupId, List<Peer> peers, Duration requestTimeout) {
        this.groupId = RaftConfig.groupId(Objects.requireNonNull(groupId, "groupId"));
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        this.client = new Handle(build(peers), peers);
    }

    private RaftClient build(List<Peer> peers) {
        Objects.requireNonNull(peers, "peers");
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("peers must not be empty");
        }
        TimeDuration deadline = RaftConfig.td(requestTimeout);
        RetryPolicy retry = RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(TypeCase.WRITE, RetryPolicies.retryForeverWithSleep(RETRY_SLEEP))
                .setRetryPolicy(TypeCase.READ, RetryPolicies.retryForeverWithSleep(RETRY_SLEEP))
                .setTimeout(TypeCase.WRITE, deadline)
                .setTimeout(TypeCase.READ, deadline)
                .build();
        return RaftClient.newBuilder()
                .setClientId(clientId)
                .setRaftGroup(RaftGroup.valueOf(groupId, RaftConfig.toRaft(peers)))
                .setProperties(RaftConfig.client(requestTimeout))
                .setRetryPolicy(retry)
                .build();
    }

    /**
     * Replicates {@code command} through the leader and returns the logic's result and the log index.
     *
     * @throws MetaUnavailableException if no leader with a quorum answered in time (the command may
     *     or may not have been committed)
     * @throws MetaCommandException if the command was committed but the replicated logic threw
     */
    public SubmitResult submit(byte[] command) throws MetaUnavailableException {
        Objects.requireNonNull(command, "command");
        Handle h = acquire();
        try {
            return submitOn(h.raft, command);
        } finally {
            release(h);
        }
    }

    private SubmitResult submitOn(RaftClient c, byte[] command) throws MetaUnavailableException {
        RaftClientReply reply;
        try {
            reply = c.io().send(Message.valueOf(ByteString.copyFrom(command)));
        } catch (StateMachineException e) {
            throw new MetaCommandException(e.getMessage(), e);
        } catch (IOException e) {
            throw unavailable("submit", e);
        }
        checkReply(reply, "submit");
        return Wire.parseApplyReply(reply.getMessage().getContent());
    }

    /**
     * A {@link KvReader} whose reads are linearizable: the leader confirms its leadership (ReadIndex)
     * and waits until it has applied everything committed before answering. Failures surface as the
     * unchecked {@link MetaUnavailableRuntimeException}.
     */
    public KvReader remoteReader() {
        return new KvReader() {
            @Override
            public Optional<byte[]> get(String key) {
                Objects.requireNonNull(key, "key");
                return Wire.parseGetReply(read(Wire.query(Wire.OP_GET, key)));
            }

            @Override
            public SortedMap<String, byte[]> scan(String prefix) {
                Objects.requireNonNull(prefix, "prefix");
                return Wire.parseScanReply(read(Wire.query(Wire.OP_SCAN, prefix)));
            }

            @Override
            public List<Map.Entry<String, byte[]>> range(String from, String toExclusive, int limit) {
                KvReader.checkRange(from, limit);
                return Wire.parseRangeReply(read(Wire.rangeQuery(from, toExclusive, limit)));
            }
        };
    }

    private ByteString read(Message query) {
        Handle h = acquire();
        try {
            return readOn(h, query);
        } finally {
            release(h);
        }
    }

    /**
     * A linearizable read on the leader. Not through Ratis' plain {@code sendReadOnly}: a follower
     * it reaches would forward the read index to the leader over Ratis' asynchronous server
     * protocol, which the Netty transport lacks, and the request would die there until the client
     * timed out. So the leader is found first with a non-linearizable read (followers redirect
     * those), then asked for the linearizable one (read index on itself, no forwarding).
     */
    private ByteString readOn(Handle h, Message query) {
        RaftClient c = h.raft;
        RaftClientReply reply;
        try {
            RaftPeerId leader = h.readLeader;
            if (leader == null) {
                RaftClientReply probe = c.io().sendReadOnlyNonLinearizable(query);
                checkReply(probe, "read");
                leader = probe.getServerId();
                h.readLeader = leader;
            }
            reply = c.io().sendReadOnly(query, leader);
            if (!reply.isSuccess()) {
                // Leadership moved since: find the leader again next time.
                h.readLeader = null;
            }
        } catch (IOException e) {
            h.readLeader = null;
            throw new MetaUnavailableRuntimeException(unavailable("read", e));
        } catch (MetaUnavailableException e) {
            throw new MetaUnavailableRuntimeException(e);
        }
        try {
            checkReply(reply, "read");
        } catch (MetaUnavailableException e) {
            throw new MetaUnavailableRuntimeException(e);
        }
        return reply.getMessage().getContent();
    }

    private void checkReply(RaftClientReply reply, String what) throws MetaUnavailableException {
        if (reply == null) {
            throw new MetaUnavailableException(what + " to group " + groupId.getUuid() + " got no reply", null);
        }
        if (!reply.isSuccess()) {
            if (reply.getStateMachineException() != null) {
                throw new MetaCommandException(reply.getStateMachineException().getMessage(),
                        reply.getStateMachineException());
            }
            throw unavailable(what, reply.getException());
        }
    }

    private MetaUnavailableException unavailable(String what, Throwable cause) {
        LOG.debug("{} to group {} failed", what, groupId.getUuid(), cause);
        return new MetaUnavailableException(what + " to metadata group " + groupId.getUuid()
                + ": no leader with a quorum answered within " + requestTimeout + " (" + cause + ")", cause);
    }

    /**
     * Replaces the peer list (recreates the underlying RaftClient). Calls in flight finish on the
     * old client, whose own retries keep their call ids; new calls use the new one. An unchanged
     * set keeps the client: callers refresh peers periodically, and a rebuild drops the connections
     * and the leader the client has found.
     */
    public void updatePeers(List<Peer> peers) {
        Objects.requireNonNull(peers, "peers");
        synchronized (lock) {
            if (!closed && client.peers.equals(Set.copyOf(peers))) {
                return;
            }
        }
        Handle fresh = new Handle(build(peers), peers);
        Handle old;
        synchronized (lock) {
            if (closed) {
                closeQuietly(fresh.raft);
                throw new IllegalStateException("MetaClient is closed");
            }
            old = client;
            client = fresh;
            old.retired = true;
            if (old.inFlight > 0) {
                return;
            }
        }
        closeQuietly(old.raft);
    }

    private Handle acquire() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("MetaClient is closed");
            }
            client.inFlight++;
            return client;
        }
    }

    private void release(Handle h) {
        synchronized (lock) {
            h.inFlight--;
            if (!h.retired || h.inFlight > 0 || h == client) {
                return;
            }
        }
        closeQuietly(h.raft);
    }

    @Override
    public void close() {
        Handle c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = client;
            c.retired = true;
        }
        // Calls in flight fail now (their outcome is reported as unknown): shutting down does not
        // wait out their timeouts. A client retired earlier closes when its last call returns.
        closeQuietly(c.raft);
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Error closing Raft client", e);
        }
    }
}
