package io.keel.node.storage;

import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkReplica;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.RebalancePlanner;
import io.keel.meta.cluster.ReplicaAudit;
import io.keel.meta.cluster.RepairPlanner;
import io.keel.meta.cluster.RepairTask;
import io.keel.meta.cluster.Volume;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.ReplicaUnreachableException;
import io.keel.storage.volume.VolumeClient;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings chunks back to their policy: rebuilds replicas whose service has been missing past the
 * grace period, moves replicas off released nodes or out of a changed policy, drops surplus.
 *
 * <p>Only a lease holder may change a chunk map, so the writer heals what it holds open (through
 * its own handle, serialised with its writes per chunk), and the metadata leader heals every
 * volume nobody holds, under a background lease that gives way as soon as someone opens it.
 * Chunks of one volume are rebuilt several at a time, from and onto different services; the
 * client's rebuild throttle keeps foreground I/O first.
 */
public final class Healer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Healer.class);
    static final int PARALLEL_CHUNKS = 4;

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final VolumeClient client;
    private final Supplier<Map<String, VolumeHandle>> held;
    private final BooleanSupplier leader;
    private final Predicate<String> nodeGone;
    private final Predicate<String> nodeDown;
    private final Predicate<String> nodeFresh;
    private final Clock clock;
    private final Consumer<RebalancePlanner.Move> hint;
    private final AtomicLong chunksMoved = new AtomicLong();
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CHUNKS,
            Thread.ofPlatform().daemon().name("keel-heal-", 0).factory());
    private final AtomicLong chunksRepaired = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final Queue<BadBlocks> badBlocks = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicReference<List<ReplicaAudit.Finding>> lost =
            new java.util.concurrent.atomic.AtomicReference<>(List.of());

    /** Blocks of a local chunk copy that failed their checksum in a scrub. */
    private record BadBlocks(String diskId, ChunkId chunk, List<Integer> blocks) {}

    /**
     * @param held     volumes this node holds open for writing, by id
     * @param nodeGone a node missing longer than the grace period
     * @param nodeDown a node missing now
     * @param nodeFresh a node heard from within the last few heartbeats: rebalancing, which is
     *                 optional, only touches volumes whose every copy is on such a node
     * @param hint     told where a rebalancing move wants its new copy, just before the move
     */
    public Healer(String selfId, Supplier<ClusterState> state, VolumeClient client,
            Supplier<Map<String, VolumeHandle>> held, BooleanSupplier leader, Predicate<String> nodeGone,
            Predicate<String> nodeDown, Predicate<String> nodeFresh, Clock clock,
            Consumer<RebalancePlanner.Move> hint) {
        this.hint = Objects.requireNonNull(hint, "hint");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.client = Objects.requireNonNull(client, "client");
        this.held = Objects.requireNonNull(held, "held");
        this.leader = Objects.requireNonNull(leader, "leader");
        this.nodeGone = Objects.requireNonNull(nodeGone, "nodeGone");
        this.nodeDown = Objects.requireNonNull(nodeDown, "nodeDown");
        this.nodeFresh = Objects.requireNonNull(nodeFresh, "nodeFresh");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Chunks repaired since start. */
    public long chunksRepaired() {
        return chunksRepaired.get();
    }

    /** Chunks found needing repair in the last round (all volumes this node could see). */
    public long pendingChunks() {
        return pending.get();
    }

    /** Queues the rewrite of blocks a scrub found bad; done by the next round. */
    public void badBlocks(String diskId, ChunkId chunk, List<Integer> blocks) {
        badBlocks.add(new BadBlocks(diskId, chunk, List.copyOf(blocks)));
    }

    /** One healing round over every volume; returns the number of chunks repaired. */
    public int round() {
        ClusterState s = state.get();
        Map<String, VolumeHandle> mine = held.get();
        repairBadBlocks(s, mine);
        boolean isLeader = leader.getAsBoolean();
        Predicate<ChunkReplica> gone = r -> nodeGone.test(r.nodeId());
        Predicate<ChunkReplica> down = r -> nodeDown.test(r.nodeId());
        int repaired = 0;
        long found = 0;
        // Snapshots' maps are healed too: their copies are data like any other.
        for (Volume v : s.allVolumeRecords()) {
            List<RepairTask> tasks = RepairPlanner.plan(s, v, gone, down, ReplicaAudit.absent(v.id(), lost.get()));
            found += tasks.size();
            if (tasks.isEmpty()) {
                continue;
            }
            VolumeHandle h = mine.get(v.id());
            if (h != null && !h.isClosed()) {
                repaired += heal(h, tasks);
            } else if (isLeader && (v.lease() == null || !v.lease().liveAt(clock.instant()))) {
                repaired += healUnheld(v, tasks);
            }
        }
        pending.set(found - repaired);
        if (found == 0) {
            rebalance(s, mine, isLeader);
        }
        return repaired;
    }

    /**
     * Hands over copies the last audit found missing on their disks; the planner counts them lost
     * (so a chunk with a surplus copy drops the missing one, not a good one).
     */
    public void lostCopies(List<ReplicaAudit.Finding> missing) {
        lost.set(List.copyOf(missing));
    }

    /** Chunks moved to even out services (after disks or nodes were added). */
    public long chunksMoved() {
        return chunksMoved.get();
    }

    /** A few moves per round, only while nothing needs repair: redundancy comes before balance. */
    private void rebalance(ClusterState s, Map<String, VolumeHandle> mine, boolean isLeader) {
        List<RebalancePlanner.Move> moves = RebalancePlanner.plan(s, r -> nodeFresh.test(r.nodeId()),
                PARALLEL_CHUNKS);
        for (RebalancePlanner.Move m : moves) {
            Volume v = s.volume(m.volumeId()).orElse(null);
            if (v == null || !everyCopyFresh(s, v)) {
                continue;
            }
            VolumeHandle h = mine.get(v.id());
            boolean unheld = v.lease() == null || !v.lease().liveAt(clock.instant());
            if ((h == null || h.isClosed()) && !(isLeader && unheld)) {
                continue;
            }
            hint.accept(m);
            RepairTask task = new RepairTask(v.id(), m.index(), 0, List.of(m.from()), List.of(m.from()), 1);
            boolean done = h != null && !h.isClosed() ? repair(h, task, MOVED) : healUnheld(v, List.of(task), MOVED) > 0;
            if (done) {
                chunksMoved.incrementAndGet();
                log.info("rebalanced chunk {} of volume {}: {} -> {}", m.index(), v.name(), m.from(), m.to());
            }
        }
    }

    /**
     * Balance can wait until every copy's node is heard from: a move of a chunk whose other copy
     * sits on a node that died a moment ago is refused anyway (ADR 0028), and so is wasted work.
     */
    private boolean everyCopyFresh(ClusterState s, Volume v) {
        return s.chunks(v.id()).stream().flatMap(c -> c.replicas().stream())
                .allMatch(r -> nodeFresh.test(r.nodeId()));
    }

    /**
     * Rewrites scrubbed-bad blocks through whoever may write the volume: this node's own handle,
     * or a background lease when no one holds it. While another node writes it, the report waits
     * (that writer's reads repair what they touch meanwhile).
     */
    private void repairBadBlocks(ClusterState s, Map<String, VolumeHandle> mine) {
        List<BadBlocks> later = new ArrayList<>();
        for (BadBlocks b; (b = badBlocks.poll()) != null; ) {
            ChunkReplica named = copyNamed(s, b.chunk(), new ChunkReplica(selfId, b.diskId()));
            Volume v = named == null ? null : mapNaming(s, b.chunk(), named);
            if (v == null) {
                continue; // no map names this copy: the collector deletes it
            }
            ReplicaRef replica = MetaVolumeCatalog.toRef(named);
            VolumeHandle h = mine.get(v.id());
            try {
                if (h != null && !h.isClosed()) {
                    h.repairBlocks(b.chunk().index(), replica, b.blocks());
                } else if (v.lease() == null || !v.lease().liveAt(clock.instant())) {
                    try (VolumeHandle bg = client.openBackground(v.id(), selfId)) {
                        bg.repairBlocks(b.chunk().index(), replica, b.blocks());
                    }
                } else {
                    later.add(b);
                    continue;
                }
                log.info("rewrote {} bad block(s) of chunk {} of volume {} on disk {} from a good replica",
                        b.blocks().size(), b.chunk().index(), v.name(), b.diskId());
            } catch (VolumeException e) {
                log.warn("cannot rewrite bad blocks of chunk {} of volume {} on disk {}: {}", b.chunk().index(),
                        v.name(), b.diskId(), e.getMessage());
                later.add(b);
            }
        }
        badBlocks.addAll(later);
    }

    /**
     * How the maps name the copy stored as {@code chunk} on {@code disk}: the whole copy, or the
     * fragment whose storage id it is stored under; null if no map names it.
     */
    private static ChunkReplica copyNamed(ClusterState s, ChunkId chunk, ChunkReplica disk) {
        for (Volume v : s.allVolumeRecords()) {
            Optional<ChunkRecord> r = s.chunk(v.id(), chunk.index());
            if (r.isPresent()) {
                for (ChunkReplica x : r.get().replicas()) {
                    if (x.service().equals(disk) && r.get().storageIdOf(x).equals(chunk.volumeId())) {
                        return x;
                    }
                }
            }
        }
        return null;
    }

    /** A volume (preferred) or snapshot whose chunk map names this copy, or null. */
    private static Volume mapNaming(ClusterState s, ChunkId chunk, ChunkReplica replica) {
        Volume found = null;
        for (Volume v : s.allVolumeRecords()) {
            boolean names = s.chunk(v.id(), chunk.index()).filter(r -> r.storageIdOf(replica).equals(chunk.volumeId())
                    && r.replicas().contains(replica)).isPresent();
            if (names && (found == null || found.isSnapshot())) {
                found = v;
            }
        }
        return found;
    }

    private int healUnheld(Volume v, List<RepairTask> tasks) {
        return healUnheld(v, tasks, HEALED);
    }

    private int healUnheld(Volume v, List<RepairTask> tasks, String verb) {
        try (VolumeHandle h = client.openBackground(v.id(), selfId)) {
            return heal(h, tasks, verb);
        } catch (LeaseHeldException e) {
            log.debug("volume {} was opened meanwhile; its writer heals it", v.name());
            return 0;
        } catch (VolumeException e) {
            log.warn("cannot heal volume {}: {}", v.name(), e.getMessage());
            return 0;
        }
    }

    private int heal(VolumeHandle h, List<RepairTask> tasks) {
        return heal(h, tasks, HEALED);
    }

    private int heal(VolumeHandle h, List<RepairTask> tasks, String verb) {
        List<Future<Boolean>> running = new ArrayList<>();
        for (RepairTask t : tasks) {
            running.add(pool.submit(() -> repair(h, t, verb)));
        }
        int done = 0;
        for (Future<Boolean> f : running) {
            try {
                if (f.get()) {
                    done++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                log.warn("repair failed: {}", e.getCause().toString());
            }
        }
        return done;
    }

    /**
     * How the log names a repair: a lost copy replaced, or a copy made by a rebalancing move (the
     * move's own line follows it). Benchmarks and administrators tell rebuilds from moves by it.
     */
    private static final String HEALED = "healed";
    private static final String MOVED = "copied for rebalancing";

    private boolean repair(VolumeHandle h, RepairTask t, String verb) {
        if (t.sources().isEmpty()) {
            log.warn("chunk {} of volume {} has no live replica to rebuild from; waiting for one to return",
                    t.index(), t.volumeId());
            return false;
        }
        try {
            VolumeHandle.RepairOutcome out = h.repair(t.index(),
                    t.lost().stream().map(MetaVolumeCatalog::toRef).toList(), t.missing());
            if (out.added().isEmpty() && out.dropped().isEmpty()) {
                log.debug("chunk {} of volume {} needs {} more replica(s) but no suitable service is free",
                        t.index(), t.volumeId(), t.missing());
                return false;
            }
            chunksRepaired.incrementAndGet();
            log.info("{} chunk {} of volume {}: added {}, dropped {}, {} bytes copied", verb, t.index(), t.volumeId(),
                    out.added(), out.dropped(), out.bytesCopied());
            return true;
        } catch (ReplicaUnreachableException e) {
            // A node just went missing: its copies wait for it until the grace period ends.
            log.info("not healing yet: {}", e.getMessage());
            return false;
        } catch (VolumeException e) {
            log.warn("cannot heal chunk {} of volume {}: {}", t.index(), t.volumeId(), e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
