package io.keel.meta.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft clients a {@link MetaClient} spreads its calls over: lanes, grouped in generations
 * (one per peer set, or per fresh start after a server stopped answering).
 */
final class RaftLanes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftLanes.class);
    private static final String CLOSED = "MetaClient is closed";
    /** Raft clients per peer set at most: more concurrent callers than this share lanes. */
    static final int MAX_LANES = 8;
    /** How long other callers wait for a generation's first call before taking lanes anyway. */
    static final Duration DISCOVERY_WAIT = Duration.ofMillis(300);

    /** Builds a Raft client for {@code peers} whose first call goes to {@code leader} (null: Ratis guesses). */
    @FunctionalInterface
    interface ClientFactory {
        RaftClient build(List<Peer> peers, RaftPeerId leader);
    }

    /**
     * One RaftClient and the calls running on it. Ratis answers a client's calls on one connection
     * in order, so a slow write holds up every read and write queued behind it on that client; a
     * measured 16 concurrent callers got 3.7 times the commits per second from 16 clients than from
     * one. Lanes are therefore added while every lane is busy, up to {@link #MAX_LANES}.
     */
    static final class Lane {
        final RaftClient raft;
        int inFlight;
        /**
         * Whether the lane's last call was answered. Only such lanes are shared: a lane whose
         * leader is a guess may be redirected, and Ratis then closes its connection, failing every
         * other call on it with AlreadyClosedException (not retried by Ratis, and for a write of
         * unknown outcome).
         */
        boolean answered;

        Lane(RaftClient raft) {
            this.raft = raft;
        }
    }

    /**
     * The lanes built for one peer set. A generation replaced by {@link #replace} is closed
     * only once its last call has returned: closing it earlier would fail a write that may already
     * be committed, and resubmitting that write on a new client would get a new call id, which the
     * leader's retry cache cannot recognise, so the write would be applied twice.
     */
    static final class Handle {
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
    record Call(Handle handle, Lane lane, boolean discoverer) {}

    private final ClientFactory factory;
    /** How long a caller waits for a lane it may share before sharing one not yet answered. */
    private final Duration shareWait;
    private final Object lock = new Object();
    private Handle client;
    private boolean closed;

    RaftLanes(List<Peer> peers, ClientFactory factory, Duration shareWait) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.shareWait = Objects.requireNonNull(shareWait, "shareWait");
        this.client = new Handle(peers, factory.build(peers, null));
    }

    /** Whether the current generation was built for exactly these peers. */
    boolean servesPeers(List<Peer> peers) {
        synchronized (lock) {
            return !closed && client.peerSet.equals(Set.copyOf(peers));
        }
    }

    /**
     * Makes a new generation of lanes for {@code peers}, whose first call goes to {@code leader}
     * (null: Ratis guesses), if the current generation is {@code expected} (null: whichever).
     * Calls in flight finish on the old lanes, whose own retries keep their call ids.
     *
     * @return whether the new generation replaced the current one
     */
    boolean replace(List<Peer> peers, RaftPeerId leader, Handle expected) {
        synchronized (lock) {
            if (closed || (expected != null && client != expected)) {
                return false;
            }
        }
        Handle fresh = new Handle(peers, factory.build(peers, leader));
        Handle old;
        synchronized (lock) {
            if (closed || (expected != null && client != expected)) {
                closeAll(fresh);
                return false;
            }
            old = client;
            client = fresh;
            old.retired = true;
            if (old.inFlight > 0) {
                return true;
            }
        }
        closeAll(old);
        return true;
    }

    /** The least busy lane of the current generation; a new lane when all are busy and there is room. */
    Call acquire() {
        while (true) {
            Handle h;
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException(CLOSED);
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
        long waitUntil = System.nanoTime() + shareWait.toNanos();
        Handle h;
        RaftPeerId hint;
        synchronized (lock) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException(CLOSED);
                }
                h = client;
                Lane lane = idleLane(h);
                if (lane != null) {
                    return take(h, lane);
                }
                if (h.lanes.size() < MAX_LANES) {
                    hint = hint(h);
                    break;
                }
                lane = leastBusy(h, true);
                long left = waitUntil - System.nanoTime();
                if (lane != null || left <= 0) {
                    return take(h, lane != null ? lane : leastBusy(h, false));
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for a Raft client lane", e);
                }
            }
        }
        // Built outside the lock: building a client must not stall every other caller.
        RaftClient extra = factory.build(h.peers, hint);
        synchronized (lock) {
            if (!closed && !h.retired && h.lanes.size() < MAX_LANES) {
                Lane lane = new Lane(extra);
                h.lanes.add(lane);
                return take(h, lane);
            }
        }
        // Not needed after all (closed, replaced, or another caller added the last lane meanwhile).
        closeQuietly(extra);
        return acquireLane();
    }

    /**
     * Where a new lane's first call goes: the leader a lane was answered by, else each new lane
     * tries another member, so that one of them finds the leader while the others are redirected.
     */
    private static RaftPeerId hint(Handle h) {
        for (Lane lane : h.lanes) {
            if (lane.answered) {
                return lane.raft.getLeaderId();
            }
        }
        return RaftPeerId.valueOf(h.peers.get(h.lanes.size() % h.peers.size()).id());
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

    /** @param answeredOnly only lanes whose last call was answered (null if there is none) */
    private static Lane leastBusy(Handle h, boolean answeredOnly) {
        Lane best = null;
        for (int i = 0; i < h.lanes.size(); i++) {
            Lane lane = h.lanes.get((h.next + i) % h.lanes.size());
            if ((!answeredOnly || lane.answered) && (best == null || lane.inFlight < best.inFlight)) {
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

    /** @param answered whether a server answered the call (with a result or the logic's error) */
    void release(Call call, boolean answered) {
        Handle h = call.handle();
        synchronized (lock) {
            call.lane().inFlight--;
            call.lane().answered = answered;
            h.inFlight--;
            lock.notifyAll();
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
