package io.keel.meta.raft;

import io.keel.meta.store.KvReader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * attempt. The attempt in flight may itself take up to {@code requestTimeout}, and Ratis connects
 * to a server inside the caller's thread for up to 30 s (Netty's connect timeout, which Ratis does
 * not let us set): a server that lost its power answers neither. So a call runs on its own
 * virtual thread; new calls start at another server once it has waited {@link #STEER_AFTER}
 * (see {@link #steerAway}), and its caller stops waiting {@link #OVERDUE_GRACE} after
 * {@code requestTimeout}, reporting an unknown outcome (ADR 0055).
 */
public final class MetaClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetaClient.class);
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
    /** How long past {@code requestTimeout} a caller waits for its call before giving up on it. */
    static final Duration OVERDUE_GRACE = Duration.ofSeconds(1);
    /**
     * How long a call may go unanswered (at most a quarter of {@code requestTimeout}) before new
     * calls start at another member: a leader answers within milliseconds, and nodes holding
     * volume leases self-fence when their renewals stop getting through for a few seconds.
     */
    static final Duration STEER_AFTER = Duration.ofSeconds(2);

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
    private final RaftLanes lanes;
    /** This node's member of the group, asked first while it leads (ADR 0054). */
    private volatile Supplier<Optional<LocalLeader>> local = Optional::empty;

    public MetaClient(String groupId, List<Peer> peers, Duration requestTimeout) {
        this.groupId = RaftConfig.groupId(Objects.requireNonNull(groupId, "groupId"));
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        this.lanes = new RaftLanes(peers, this::build, requestTimeout);
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
        RaftLanes.Call call = lanes.acquire();
        return bounded(call, "submit", () -> submitOn(call.lane().raft, command),
                () -> call.lane().raft.getLeaderId());
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
        RaftLanes.Call call = lanes.acquire();
        try {
            return bounded(call, "read", () -> readOn(call.handle(), call.lane().raft, query), () -> {
                RaftPeerId asked = call.handle().readLeader;
                return asked != null ? asked : call.lane().raft.getLeaderId();
            });
        } catch (MetaUnavailableException e) {
            throw new MetaUnavailableRuntimeException(e);
        }
    }

    /** A call on a Raft client, run by {@link #bounded}. */
    @FunctionalInterface
    private interface RaftCall<T> {
        T run() throws MetaUnavailableException;
    }

    /**
     * Runs {@code body} on its own virtual thread, which releases {@code call} when the body ends.
     * Waits for it at most {@code requestTimeout} plus {@link #OVERDUE_GRACE}, and once it has gone
     * unanswered for a quarter of {@code requestTimeout} ({@link #STEER_AFTER} at most) steers new
     * calls away from the server it waits on.
     *
     * @param suspect the server the call is most likely waiting on, read when it is overdue
     */
    private <T> T bounded(RaftLanes.Call call, String what, RaftCall<T> body, Supplier<RaftPeerId> suspect)
            throws MetaUnavailableException {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            Thread.ofVirtual().name("meta-" + what).start(() -> {
                // The lane is released before the caller hears back, as if the caller had made the
                // call itself: a caller that calls again at once finds its lane idle.
                T value = null;
                Throwable failure = null;
                try {
                    value = body.run();
                } catch (Throwable t) {
                    failure = t;
                }
                lanes.release(call, failure == null || failure instanceof MetaCommandException);
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException | Error e) {
            lanes.release(call, false);
            throw e;
        }
        long total = requestTimeout.plus(OVERDUE_GRACE).toMillis();
        long steerAfter = Math.min(requestTimeout.toMillis() / 4, STEER_AFTER.toMillis());
        try {
            try {
                return result.get(steerAfter, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                steerAway(call.handle(), suspect.get(), Duration.ofMillis(steerAfter));
            }
            return result.get(total - steerAfter, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable(what, new TimeoutException("no answer within " + Duration.ofMillis(total)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case MetaUnavailableException u -> throw u;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw unavailable(what, e.getCause());
            }
        }
    }

    /**
     * After a call on {@code h} went unanswered for {@code waited}, starts new calls at the server
     * after {@code suspect} in a new generation of lanes; the call itself keeps waiting. The
     * suspect may have lost its power, and every lane that still believes it leads would otherwise
     * try it, each for up to 30 s. If the suspect was merely slow and still leads, the new lanes'
     * first call costs one redirect.
     */
    private void steerAway(RaftLanes.Handle h, RaftPeerId suspect, Duration waited) {
        RaftPeerId next = null;
        for (int i = 0; suspect != null && i < h.peers.size(); i++) {
            if (h.peers.get(i).id().equals(suspect.toString())) {
                next = RaftPeerId.valueOf(h.peers.get((i + 1) % h.peers.size()).id());
            }
        }
        if (lanes.replace(h.peers, next, h)) {
            LOG.warn("metadata group {}: no answer{} within {}; new calls start at {}", groupId.getUuid(),
                    suspect == null ? "" : " from " + suspect, waited, next == null ? "a member Ratis picks" : next);
        }
    }

    /**
     * A linearizable read on the leader. Not through Ratis' plain {@code sendReadOnly}: a follower
     * it reaches would forward the read index to the leader over Ratis' asynchronous server
     * protocol, which the Netty transport lacks, and the request would die there until the client
     * timed out. So the leader is found first with a non-linearizable read (followers redirect
     * those), then asked for the linearizable one (read index on itself, no forwarding).
     */
    private ByteString readOn(RaftLanes.Handle h, RaftClient c, Message query) {
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

    private ByteString readOnce(RaftLanes.Handle h, RaftClient c, Message query) throws MetaUnavailableException {
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
        if (!lanes.servesPeers(peers) && !lanes.replace(peers, null, null)) {
            throw new IllegalStateException("MetaClient is closed");
        }
    }

    @Override
    public void close() {
        lanes.close();
    }
}
