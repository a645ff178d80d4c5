package io.keel.meta.raft;

import io.keel.meta.store.KvReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
    /** Raft clients per peer set at most: more concurrent callers than this share lanes. */
    static final int MAX_LANES = 8;
    /** How long other callers wait for a generation's first call before taking lanes anyway. */
    static final Duration DISCOVERY_WAIT = Duration.ofMillis(300);

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
    private final Object lock = new Object();
    private Handle client;
    private boolean closed;
    /** This node's member of the group, asked first while it leads (ADR 0054). */
    private volatile Supplier<Optional<LocalLeader>> local = Optional::empty;

    /**
     * One RaftClient and the calls running on it. Ratis answers a client's calls on one connection
     * in order, so a slow write holds up every read and write queued behind it on that client; a
     * measured 16 concurrent callers got 3.7 times the commits per second from 16 clients than from
     * one. Lanes are therefore added while every lane is busy, up to {@link #MAX_LANES}.
     */
    private static final class Lane {
        final RaftClient raft;
        int inFlight;

        Lane(RaftClient raft) {
            this.raft = raft;
        }
    }

    /**
     * The lanes built for one peer set. A generation replaced by {@link #updatePeers} is closed
     * only once its last call has returned: closing it earlier would fail a write that may already
     * be committed, and resubmitting that write on a new client would get a new call id, which the
     * leader's retry cache cannot recognise, so the write would be applied twice.
     */
    private static final class Handle {
        final List<Peer> peers;
        final Set<Peer> peerSet;
        final List<Lane> lanes = new ArrayList<>();
        int inFlight;
        int next;
        boolean retired;
        /**
         * Until a first call of this generation has returned, callers wait for it instead of taking
         * lanes: a lane that starts at the wrong server is redirected, and Ratis then closes that
         * connection, failing every other call on it with AlreadyClosedException (not retried by
         * Ratis, and for a write of unknown outcome). Lanes built afterwards start at the leader
         * the first lane found.
         */
        boolean discovering;
        final CountDownLatch discovered = new CountDownLatch(1);
        /** The server that last answered a read as leader; reads go straight to it (see readOn). */
        volatile RaftPeerId readLeader;

        Handle(List<Peer> peers, RaftClient first) {
            this.peers = List.copyOf(peers);
            this.peerSet = Set.copyOf(peers);
            lanes.add(new Lane(first));
        }
    }

    /** A call's lane, the generation it belongs to, and whether it is the generation's first. */
    private record Call(Handle handle, Lane lane, boolean discoverer) {}

    public MetaClient(String groupId, List<Peer> peers, Duration requestTimeout) {
        this.groupId = RaftConfig.groupId(Objects.requireNonNull(groupId, "groupId"));
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        this.client = new Handle(peers, build(peers));
    }

    private RaftClient build(List<Peer> peers) {
        return build(peers, null);
    }

    /** @param leader where the first call goes (null: Ratis guesses, and a wrong guess costs a redirect) */
    private RaftClient build(List<Peer> peers, RaftPeerId leader) {
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
        RaftClient.Builder b = RaftClient.newBuilder()
                .setClientId(ClientId.randomId())
                .setRaftGroup(RaftGroup.valueOf(groupId, RaftConfig.toRaft(peers)))
                .setProperties(RaftConfig.client(requestTimeout))
                .setRetryPolicy(retry);
        if (leader != null) {
            b.setLeaderId(leader);
        }
        return b.build();
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
        Optional<LocalLeader> here = local.get();
        if (here.isPresent()) {
            Optional<RaftClientReply> reply = here.get().submit(Message.valueOf(ByteString.copyFrom(command)));
            if (reply.isPresent()) {
                checkReply(reply.get(), "submit");
                return Wire.parseApplyReply(reply.get().getMessage().getContent());
            }
        }
        Call call = acquire();
        try {
            return submitOn(call.lane().raft, command);
        } finally {
            release(call);
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
        Optional<LocalLeader> here = local.get();
        if (here.isPresent()) {
            Optional<RaftClientReply> reply = here.get().query(query);
            if (reply.isPresent()) {
                try {
                    checkReply(reply.get(), "read");
                } catch (MetaUnavailableException e) {
                    throw new MetaUnavailableRuntimeException(e);
                }
                return reply.get().getMessage().getContent();
            }
        }
        Call call = acquire();
        try {
            return readOn(call.handle(), call.lane().raft, query);
        } finally {
            release(call);
        }
    }

    /**
     * A linearizable read on the leader. Not through Ratis' plain {@code sendReadOnly}: a follower
     * it reaches would forward the read index to the leader over Ratis' asynchronous server
     * protocol, which the Netty transport lacks, and the request would die there until the client
     * timed out. So the leader is found first with a non-linearizable read (followers redirect
     * those), then asked for the linearizable one (read index on itself, no forwarding).
     */
    private ByteString readOn(Handle h, RaftClient c, Message query) {
        // Retried here, not by Ratis: a redirect from a follower makes the client reset its
        // connection to it, and every other read on that connection then fails with
        // AlreadyClosedException, which Ratis does not retry. Reads have no side effects.
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        while (true) {
            try {
                return readOnce(h, c, query);
            } catch (MetaUnavailableException e) {
                h.readLeader = null;
                if (System.nanoTime() + RETRY_SLEEP.toLong(TimeUnit.NANOSECONDS) >= deadline) {
                    throw new MetaUnavailableRuntimeException(e);
                }
                try {
                    RETRY_SLEEP.sleep();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new MetaUnavailableRuntimeException(e);
                }
            }
        }
    }

    private ByteString readOnce(Handle h, RaftClient c, Message query) throws MetaUnavailableException {
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
        } catch (IOException e) {
            throw unavailable("read", e);
        }
        checkReply(reply, "read");
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
     * Asks {@code leader}'s member first from now on, while it leads the group; calls go over the
     * network whenever it answers empty.
     */
    public void preferLocal(Supplier<Optional<LocalLeader>> leader) {
        this.local = Objects.requireNonNull(leader, "leader");
    }

    /**
     * Replaces the peer list (a new generation of lanes). Calls in flight finish on the old
     * lanes, whose own retries keep their call ids; new calls use the new ones. An unchanged
     * set keeps the client: callers refresh peers periodically, and a rebuild drops the connections
     * and the leader the client has found.
     */
    public void updatePeers(List<Peer> peers) {
        Objects.requireNonNull(peers, "peers");
        synchronized (lock) {
            if (!closed && client.peerSet.equals(Set.copyOf(peers))) {
                return;
            }
        }
        Handle fresh = new Handle(peers, build(peers));
        Handle old;
        synchronized (lock) {
            if (closed) {
                closeAll(fresh);
                throw new IllegalStateException("MetaClient is closed");
            }
            old = client;
            client = fresh;
            old.retired = true;
            if (old.inFlight > 0) {
                return;
            }
        }
        closeAll(old);
    }

    /** The least busy lane of the current generation; a new lane when all are busy and there is room. */
    private Call acquire() {
        while (true) {
            Handle h;
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("MetaClient is closed");
                }
                h = client;
                if (h.discovered.getCount() == 0) {
                    break;
                }
                if (!h.discovering) {
                    h.discovering = true;
                    return take(h, h.lanes.getFirst(), true);
                }
            }
            try {
                // Briefly: a leader answers within milliseconds. When the first call is stuck on an
                // unreachable peer (a node joining while others start), holding everyone behind it
                // would delay this node's heartbeats and get it treated as not acting.
                h.discovered.await(DISCOVERY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the Raft leader to be found", e);
            }
            synchronized (lock) {
                h.discovered.countDown(); // a discoverer that vanished must not hold everyone forever
            }
        }
        return acquireLane();
    }

    private Call acquireLane() {
        Handle h;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("MetaClient is closed");
            }
            h = client;
            Lane idle = idleLane(h);
            if (idle != null || h.lanes.size() >= MAX_LANES) {
                return take(h, idle != null ? idle : leastBusy(h));
            }
        }
        // Built outside the lock: building a client must not stall every other caller.
        RaftClient extra = build(h.peers, h.lanes.getFirst().raft.getLeaderId());
        Call call;
        synchronized (lock) {
            if (!closed && !h.retired && h.lanes.size() < MAX_LANES) {
                Lane lane = new Lane(extra);
                h.lanes.add(lane);
                return take(h, lane);
            }
            call = closed ? null : take(client, leastBusy(client));
        }
        // Not needed after all (closed, replaced, or another caller added the last lane meanwhile).
        closeQuietly(extra);
        if (call == null) {
            throw new IllegalStateException("MetaClient is closed");
        }
        return call;
    }

    private static Lane idleLane(Handle h) {
        for (int i = 0; i < h.lanes.size(); i++) {
            Lane lane = h.lanes.get((h.next + i) % h.lanes.size());
            if (lane.inFlight == 0) {
                return lane;
            }
        }
        return null;
    }

    private static Lane leastBusy(Handle h) {
        Lane best = h.lanes.get(h.next % h.lanes.size());
        for (Lane lane : h.lanes) {
            if (lane.inFlight < best.inFlight) {
                best = lane;
            }
        }
        return best;
    }

    private static Call take(Handle h, Lane lane) {
        return take(h, lane, false);
    }

    private static Call take(Handle h, Lane lane, boolean discoverer) {
        lane.inFlight++;
        h.inFlight++;
        h.next++;
        return new Call(h, lane, discoverer);
    }

    private void release(Call call) {
        Handle h = call.handle();
        synchronized (lock) {
            call.lane().inFlight--;
            h.inFlight--;
            if (call.discoverer()) {
                h.discovered.countDown();
            }
            if (!h.retired || h.inFlight > 0 || h == client) {
                return;
            }
        }
        closeAll(h);
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
        // wait out their timeouts. A generation retired earlier closes when its last call returns.
        closeAll(c);
    }

    private void closeAll(Handle h) {
        List<Lane> lanes;
        synchronized (lock) {
            lanes = List.copyOf(h.lanes);
        }
        lanes.forEach(l -> closeQuietly(l.raft));
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Error closing Raft client", e);
        }
    }
}
