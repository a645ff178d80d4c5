package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.ChunkStoreOptions;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.StaleEpochException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fencing on open and the healing of chunks: new replicas, dropped replicas, rewritten blocks. */
final class Repairer implements ReadPath.BlockRepair {
    private static final Logger log = LoggerFactory.getLogger(Repairer.class);
    private static final int BLOCK = ChunkStoreOptions.BLOCK_SIZE;
    private static final int COPY_PIECE = 1 << 20;
    private static final int FENCE_PARALLELISM = 32;

    private final VolumeContext ctx;
    private final LeaseKeeper lease;
    private final ReplicaChanges changes;
    private final ChunkWriter writer;

    Repairer(VolumeContext ctx, LeaseKeeper lease, ReplicaChanges changes, ChunkWriter writer) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * Raises this writer's epoch on every replica of every chunk the volume owns, so an older
     * writer that missed its lease expiry can no longer change them; brings replicas that missed
     * a version raise up to date and drops the ones that cannot be reached.
     */
    void fenceAll() {
        List<ChunkEntry> owned = ctx.entries().values().stream().filter(ctx::owned).toList();
        Semaphore slots = new Semaphore(FENCE_PARALLELISM);
        List<Future<?>> running = new ArrayList<>();
        // A large volume has thousands of chunks: fencing them one after another would make the
        // open take as many round trips, and as many timeouts when a service hangs.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChunkEntry e : owned) {
                running.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        fenceLocked(e.index());
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException x) {
                    running.forEach(r -> r.cancel(true));
                    throw x.getCause() instanceof RuntimeException r ? r
                            : new VolumeIoException(VolumeIoException.Kind.EIO, "fencing volume " + ctx.volumeId
                                    + " failed: " + x.getCause(), x.getCause());
                }
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "interrupted fencing volume " + ctx.volumeId, x);
        }
    }

    private void fenceLocked(long index) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            if (e != null && ctx.owned(e)) {
                fence(e);
            }
        } finally {
            exclusive.unlock();
        }
    }

    private void fence(ChunkEntry e) {
        List<ReplicaIo.Outcome> outcomes = raiseFence(e);
        List<ReplicaRef> failed = outcomes.stream().filter(o -> !o.ok()).map(ReplicaIo.Outcome::replica).toList();
        if (failed.isEmpty()) {
            return;
        }
        if (failed.size() == outcomes.size()) {
            log.warn("volume {} chunk {}: no replica could be fenced, the chunk is unavailable: {}", ctx.volumeId,
                    e.index(), Failures.describe(outcomes));
            return;
        }
        changes.drop(e.index(), failed, "unreachable or inconsistent when the volume was opened: "
                + Failures.describe(outcomes.stream().filter(o -> !o.ok()).toList()));
    }

    /**
     * Raises this writer's epoch on every replica of the chunk (and a replica version a dead writer
     * left behind); returns each replica's outcome. Throws if a newer writer got there first.
     */
    private List<ReplicaIo.Outcome> raiseFence(ChunkEntry e) {
        ChunkId id = e.chunk();
        long epoch = lease.epoch();
        List<ReplicaIo.Outcome> outcomes = ctx.io.onAll(e.replicas(), ops -> {
            ChunkInfo info = ops.stat(id).orElseThrow(() -> new ChunkNotFoundException(id));
            if (info.version() < e.version()) {
                // The previous writer died between dropping a replica in the catalog and raising
                // the survivors; this one is still named by the catalog, so it has every write.
                log.info("volume {} chunk {}: raising replica version from {} to {}", ctx.volumeId, e.index(),
                        info.version(), e.version());
                ops.setVersion(id, e.version());
            }
            ops.write(id, 0, ByteBuffer.allocate(0), e.version(), epoch, false);
        });
        StaleEpochException stale = Failures.staleEpoch(outcomes);
        if (stale != null) {
            lease.fence("a newer writer (epoch " + stale.chunkEpoch() + ") already fenced chunk " + e.index());
            lease.check();
        }
        return outcomes;
    }

    /**
     * Fences chunk {@code index} (a background handle fences only the chunks it changes, see
     * {@link VolumeClient#openBackground}) and makes sure every replica that is to stay answers:
     * changing the replica set bumps the version, so a replica that cannot be reached now would
     * become stale, and a node that is merely missing must keep its copies until its grace period
     * ends (ADR 0028). Replicas in {@code remove} may be unreachable: they go anyway.
     */
    private void fenceStaying(long index, List<ReplicaRef> remove) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            List<ReplicaRef> unreachable = raiseFence(e).stream().filter(o -> !o.ok())
                    .map(ReplicaIo.Outcome::replica).filter(r -> !remove.contains(r)).toList();
            if (!unreachable.isEmpty()) {
                throw new ReplicaUnreachableException(ctx.volumeId, index, unreachable);
            }
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * See {@link VolumeHandle#repair}. New copies take every write from the moment they are
     * created; the existing data is copied piece by piece, each piece under the chunk's exclusive
     * lock so no write can slip between reading it from a source and writing it to the copies,
     * while writes go on between pieces and during the throttling waits.
     */
    VolumeHandle.RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        Objects.requireNonNull(remove, "remove");
        if (add < 0) {
            throw new IllegalArgumentException("add must be >= 0: " + add);
        }
        lease.check();
        ChunkEntry e = ctx.entry(index);
        if (e == null) {
            throw new VolumeIoException(VolumeIoException.Kind.EINVAL, "chunk " + index + " of volume "
                    + ctx.volumeId + " is not allocated");
        }
        fenceStaying(index, remove);
        // The count the chunk is to end with: a removal never takes it below that, whatever failed
        // meanwhile (a new copy that could not be made or joined, a staying replica that failed a write).
        int floor = e.replicas().size() - (int) e.replicas().stream().filter(remove::contains).count() + add;
        List<ReplicaRef> targets = List.of();
        long copied = 0;
        try {
            if (add > 0) {
                targets = start(index, add);
                copied = copy(index, remove);
            }
            return finish(index, remove, floor, copied);
        } finally {
            for (ReplicaRef r : targets) {
                if (ctx.stopRebuilding(index, r)) {
                    writer.deleteQuietly(e.chunk(), List.of(r));
                }
            }
        }
    }

    /** Places and creates the new copies and makes every later write go to them too. */
    private List<ReplicaRef> start(long index, int add) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            List<ReplicaRef> targets = createAt(e, ctx.placer.place(ctx.volumeId, index, add, e.replicas()));
            ctx.startRebuilding(index, targets);
            return targets;
        } finally {
            exclusive.unlock();
        }
    }

    /** Copies every extent written before the copies started; returns the bytes copied to each. */
    private long copy(long index, List<ReplicaRef> avoid) {
        if (ctx.rebuilding(index).isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (Extent x : writer.sourceExtents(sources(ctx.entry(index), avoid))) {
            for (long off = x.offset(); off < x.end() && !ctx.rebuilding(index).isEmpty(); off += COPY_PIECE) {
                int n = (int) Math.min(COPY_PIECE, x.end() - off);
                ctx.rebuildLimiter.acquire(n);
                Lock exclusive = ctx.locks.exclusive(index);
                exclusive.lock();
                try {
                    lease.check();
                    ChunkEntry e = ctx.entry(index);
                    ByteBuffer data = writer.readSource(sources(e, avoid), off, n);
                    long at = off;
                    long epoch = lease.epoch();
                    for (ReplicaIo.Outcome o : ctx.io.onAll(ctx.rebuilding(index),
                            ops -> ops.write(e.chunk(), at, data.duplicate(), e.version(), epoch, false))) {
                        if (!o.ok()) {
                            log.warn("volume {} chunk {}: copying to {} failed, abandoning it: {}", ctx.volumeId,
                                    index, o.replica(), o.error().toString());
                            ctx.stopRebuilding(index, o.replica());
                            writer.deleteQuietly(e.chunk(), List.of(o.replica()));
                        }
                    }
                } finally {
                    exclusive.unlock();
                }
                bytes += n;
                ctx.stats.rebuilt((long) n * ctx.rebuilding(index).size());
            }
        }
        return bytes;
    }

    /** Makes the new copies durable, records them, then drops the replicas to remove. */
    private VolumeHandle.RepairOutcome finish(long index, List<ReplicaRef> remove, int floor, long copied) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            lease.check();
            List<ReplicaRef> added = new ArrayList<>();
            ChunkEntry e = ctx.entry(index);
            List<ReplicaRef> ready = ctx.rebuilding(index);
            if (!ready.isEmpty()) {
                staysReachable(e, remove);
            }
            for (ReplicaIo.Outcome o : ctx.io.onAll(ready, ops -> ops.flush())) {
                ctx.stopRebuilding(index, o.replica());
                if (o.ok()) {
                    e = changes.add(index, o.replica());
                    if (e.replicas().contains(o.replica())) {
                        added.add(o.replica()); // else its version raise failed and adding dropped it again
                    }
                } else {
                    writer.deleteQuietly(e.chunk(), List.of(o.replica()));
                }
            }
            List<ReplicaRef> dropped = new ArrayList<>();
            for (ReplicaRef r : remove) {
                e = ctx.entry(index);
                // E.g. a rebalancing move whose new copy failed must not end as a plain removal.
                if (!e.replicas().contains(r) || e.replicas().size() <= Math.max(1, floor)) {
                    continue;
                }
                ChunkEntry after = changes.drop(index, List.of(r), "removed by repair");
                if (after.replicas().size() < e.replicas().size() - 1) {
                    keep(index, r, e, after);
                    continue;
                }
                dropped.add(r);
                writer.deleteQuietly(e.chunk(), List.of(r));
            }
            List<ReplicaRef> present = ctx.entry(index).replicas();
            added.removeIf(r -> !present.contains(r)); // a removal that cost another replica dropped it
            return new VolumeHandle.RepairOutcome(index, added, dropped, added.isEmpty() ? 0 : copied);
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Adding the new copies raises every replica's version: a staying one whose node died during
     * the copy would become stale by it. Checked under the chunk's lock just before; the copies,
     * still being rebuilt, are then deleted by {@link #repair}'s cleanup.
     */
    private void staysReachable(ChunkEntry e, List<ReplicaRef> remove) {
        List<ReplicaRef> staying = e.replicas().stream().filter(r -> !remove.contains(r)).toList();
        List<ReplicaRef> unreachable = ctx.io.onAll(staying, ops -> ops.stat(e.chunk())).stream()
                .filter(o -> !o.ok()).map(ReplicaIo.Outcome::replica).toList();
        if (!unreachable.isEmpty()) {
            throw new ReplicaUnreachableException(ctx.volumeId, e.index(), unreachable);
        }
    }

    /**
     * Dropping {@code r} cost the chunk another replica too (one that failed its version raise, e.g.
     * the new copy of a rebalancing move whose node died just then): put {@code r} back rather than
     * leave the chunk short of a copy whose data is intact. It has every write, since the chunk's
     * exclusive lock was held from the drop to here; if it cannot be raised either, adding drops it again.
     */
    private void keep(long index, ReplicaRef r, ChunkEntry before, ChunkEntry after) {
        List<ReplicaRef> lost = new ArrayList<>(before.replicas());
        lost.removeAll(after.replicas());
        lost.remove(r);
        log.warn("volume {} chunk {}: dropping {} also cost replica(s) {}; keeping {}", ctx.volumeId, index, r, lost,
                r);
        changes.add(index, r);
    }

    /** The replicas to copy from: those staying first, those leaving only as a last resort. */
    private static ChunkEntry sources(ChunkEntry e, List<ReplicaRef> avoid) {
        List<ReplicaRef> sources = new ArrayList<>(e.replicas());
        sources.removeAll(avoid);
        e.replicas().stream().filter(avoid::contains).forEach(sources::add);
        return new ChunkEntry(e.index(), e.chunk(), e.version(), sources);
    }

    private List<ReplicaRef> createAt(ChunkEntry e, List<ReplicaRef> targets) {
        List<ReplicaRef> created = new ArrayList<>();
        for (ReplicaIo.Outcome o : ctx.io.onAll(targets, ops -> {
            try {
                ops.create(e.chunk(), e.version());
            } catch (ChunkExistsException x) {
                // A stale copy from before this service was dropped: its data is not to be trusted.
                ops.delete(e.chunk());
                ops.create(e.chunk(), e.version());
            }
        })) {
            if (o.ok()) {
                created.add(o.replica());
            } else {
                log.warn("volume {} chunk {}: creating a new copy on {} failed: {}", ctx.volumeId, e.index(),
                        o.replica(), o.error().toString());
            }
        }
        return created;
    }

    /** Rewrites whole blocks of {@code replica} from another replica's good data. */
    void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(blocks, "blocks");
        lease.check();
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            if (e == null || !e.replicas().contains(replica)) {
                return;
            }
            List<ReplicaRef> others = ReplicaChanges.without(e.replicas(), replica);
            if (others.isEmpty()) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, "chunk " + index + " of volume "
                        + ctx.volumeId + " has no other replica to repair " + replica + " from");
            }
            ChunkEntry from = new ChunkEntry(index, e.chunk(), e.version(), others);
            List<Integer> sorted = blocks.stream().distinct().sorted().toList();
            int i = 0;
            while (i < sorted.size()) {
                int first = sorted.get(i);
                int last = first;
                while (i + 1 < sorted.size() && sorted.get(i + 1) == last + 1 && (last - first + 1) * BLOCK < COPY_PIECE) {
                    last = sorted.get(++i);
                }
                i++;
                long off = (long) first * BLOCK;
                int n = (last - first + 1) * BLOCK;
                ByteBuffer good = writer.readSource(from, off, n);
                ctx.io.run(replica, ops -> ops.write(e.chunk(), off, good.duplicate(), e.version(), lease.epoch(), true));
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** The read path's cure for a checksum failure; a failed repair must not fail the read. */
    @Override
    public void repair(long index, ReplicaRef replica, List<Integer> blocks) {
        try {
            repairBlocks(index, replica, blocks);
            ctx.stats.checksumErrorRepaired();
            log.warn("volume {} chunk {}: replica {} failed a checksum, rewrote blocks {}-{} from another replica",
                    ctx.volumeId, index, replica, blocks.getFirst(), blocks.getLast());
        } catch (RuntimeException e) {
            log.warn("volume {} chunk {}: replica {} failed a checksum and could not be repaired: {}", ctx.volumeId,
                    index, replica, e.toString());
        }
    }
}
