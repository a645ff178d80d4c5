package io.keel.node.storage;

import io.keel.meta.cluster.ChunkServiceInfo;
import io.keel.meta.cluster.ClusterState;
import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.cs.ChunkClient;
import io.keel.storage.cs.ChunkClientOptions;
import io.keel.storage.volume.ChunkServices;
import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeIoException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk services as this node reaches them: its own disks directly, other nodes' over one
 * pipelined connection each. A service that just failed is not retried for a short back-off, so
 * a dead node costs each request one fast refusal instead of a connect timeout. A node the
 * heartbeats call lost (not heard for the detection time) is refused outright, and
 * {@link #dropLostNodes} closes its connections: a partitioned node, unlike a dead one, answers no
 * connection reset, so without this every request waiting on it would hang for the whole I/O
 * timeout (30 s), holding up the writes of healthy VMs and the start of VMs recovered elsewhere.
 */
public final class NodeChunkServices implements ChunkServices, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeChunkServices.class);
    static final Duration BACKOFF = Duration.ofSeconds(3);

    private final String selfId;
    private final DiskServices local;
    private final Supplier<ClusterState> state;
    private final ChunkClientOptions options;
    private final Predicate<String> nodeAlive;
    private final Clock clock;
    private final Map<ReplicaRef, ChunkClient> clients = new ConcurrentHashMap<>();
    private final Map<ReplicaRef, Instant> down = new ConcurrentHashMap<>();

    /** @param nodeAlive whether a node was heard from within the failure-detection time */
    public NodeChunkServices(String selfId, DiskServices local, Supplier<ClusterState> state,
            ChunkClientOptions options, Predicate<String> nodeAlive, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.local = Objects.requireNonNull(local, "local");
        this.state = Objects.requireNonNull(state, "state");
        this.options = Objects.requireNonNull(options, "options");
        this.nodeAlive = Objects.requireNonNull(nodeAlive, "nodeAlive");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ChunkOperations open(ReplicaRef ref) {
        ReplicaRef replica = service(Objects.requireNonNull(ref, "replica"));
        if (isLocal(replica)) {
            return local.local(replica.diskId()).orElseThrow(() -> unreachable(replica, "its chunk service is not running"));
        }
        if (!nodeAlive.test(replica.nodeId())) {
            throw unreachable(replica, "its node is lost (no heartbeat for the failure-detection time)");
        }
        ChunkClient c = clients.get(replica);
        if (c != null && !c.isClosed()) {
            return c;
        }
        Instant until = down.get(replica);
        if (until != null && clock.instant().isBefore(until)) {
            throw unreachable(replica, "it failed moments ago");
        }
        synchronized (this) {
            c = clients.get(replica);
            if (c != null && !c.isClosed()) {
                return c;
            }
            ChunkServiceInfo info = state.get().chunkService(replica.nodeId(), replica.diskId())
                    .orElseThrow(() -> unreachable(replica, "it is not registered"));
            try {
                ChunkClient fresh = ChunkClient.connect(new InetSocketAddress(info.host(), info.port()), options);
                clients.put(replica, fresh);
                down.remove(replica);
                return fresh;
            } catch (ChunkException e) {
                down.put(replica, clock.instant().plus(BACKOFF));
                throw unreachable(replica, e.getMessage());
            }
        }
    }

    @Override
    public boolean isLocal(ReplicaRef replica) {
        return replica.nodeId().equals(selfId);
    }

    @Override
    public void failed(ReplicaRef ref, ChunkOperations ops) {
        ReplicaRef replica = service(ref);
        if (isLocal(replica)) {
            return;
        }
        // Only a failed connect backs off: a connection that broke is retried at once, since the
        // service may simply have restarted.
        if (clients.remove(replica, ops)) {
            log.info("chunk service {} failed: dropping its connection", replica);
            ops.close();
        }
    }

    /**
     * Closes the connections to nodes the heartbeats call lost, which fails at once every request
     * still waiting on them; called every heartbeat interval.
     */
    public void dropLostNodes() {
        for (var e : clients.entrySet()) {
            if (!nodeAlive.test(e.getKey().nodeId()) && clients.remove(e.getKey(), e.getValue())) {
                log.warn("chunk service {}: its node is lost, closing the connection (requests on it fail now)",
                        e.getKey());
                e.getValue().close();
            }
        }
    }

    /** Whether a request to the replica would be tried now (its node not lost, not in back-off). */
    public boolean reachable(ReplicaRef replica) {
        replica = service(replica);
        if (isLocal(replica)) {
            return local.local(replica.diskId()).isPresent();
        }
        if (!nodeAlive.test(replica.nodeId())) {
            return false;
        }
        Instant until = down.get(replica);
        return until == null || !clock.instant().isBefore(until);
    }

    /** Connections are per disk: the fragments of erasure-coded chunks on one disk share one. */
    private static ReplicaRef service(ReplicaRef r) {
        return r.fragment() == ReplicaRef.WHOLE ? r : r.withFragment(ReplicaRef.WHOLE);
    }

    private static VolumeIoException unreachable(ReplicaRef replica, String why) {
        return new VolumeIoException(VolumeIoException.Kind.EIO, "chunk service " + replica + " unreachable: " + why);
    }

    @Override
    public void close() {
        clients.values().forEach(ChunkClient::close);
        clients.clear();
    }
}
