package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
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

/**
 * Fencing and healing of erasure-coded chunks: the epoch raise on open, recomputing the parity of
 * chunks a dead writer left dirty, rebuilding lost fragments elsewhere, and rewriting blocks of a
 * fragment that failed a checksum. Everything runs under the chunk's exclusive lock.
 */
final class EcRepair {
    private static final Logger log = LoggerFactory.getLogger(EcRepair.class);
    private static final int UNIT = StripeLayout.UNIT;
    private static final int FENCE_PARALLELISM = 32;

    private final VolumeContext ctx;
    private final EcChunkIo io;
    private final LeaseKeeper lease;
    private final EcWriter writer;
    private final EcResync resync;

    EcRepair(VolumeContext ctx, EcChunkIo io, LeaseKeeper lease, EcWriter writer, EcResync resync) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.io = Objects.requireNonNull(io, "io");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.resync = Objects.requireNonNull(resync, "resync");
    }

    /**
     * What a new foreground writer does before any I/O: raises its epoch on every fragment of
     * every chunk (in parallel: a large volume has thousands), then recomputes the parity of every
     * chunk a dead writer left dirty. A background handle does neither here (see {@link
     * VolumeClient#openBackground}): {@link #repair} fences and resyncs the chunk it heals.
     */
    void open(boolean fence) {
        if (!fence) {
            return;
        }
        List<ChunkEntry> chunks = ctx.entries().values().stream().filter(ctx::owned).toList();
        forEach(chunks, "fencing", e -> {
            ChunkEntry cur = ctx.entry(e.index());
            if (cur != null) {
                fence(cur);
            }
        });
        forEach(chunks.stream().filter(ChunkEntry::dirty).toList(), "resyncing", e -> {
            ChunkEntry cur = ctx.entry(e.index());
            if (cur != null && cur.dirty() && !resync.resync(cur)) {
                log.warn("volume {}: {} stays dirty, its data fragments cannot all be read; it cannot be rebuilt "
                        + "from parity until they can", ctx.volumeId, io.where(cur.index()));
            }
        });
    }

    private interface ChunkTask {
        void run(ChunkEntry e);
    }

    /** Runs {@code task} on every chunk under its exclusive lock, a bounded number at a time. */
    private void forEach(List<ChunkEntry> chunks, String what, ChunkTask task) {
        Semaphore slots = new Semaphore(FENCE_PARALLELISM);
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChunkEntry e : chunks) {
                running.add(pool.submit(() -> {
                    slots.acquire();
                    Lock exclusive = ctx.locks.exclusive(e.index());
                    exclusive.lock();
                    try {
                        task.run(e);
                    } finally {
                        exclusive.unlock();
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
                            : new VolumeIoException(VolumeIoException.Kind.EIO, what + " volume " + ctx.volumeId
                                    + " failed: " + x.getCause(), x.getCause());
                }
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "interrupted " + what + " volume " + ctx.volumeId, x);
        }
    }

    /**
     * Raises this writer's epoch on every fragment, and a version a dead writer left behind;
     * drops the fragments that fail as long as M others answered (else leaves the chunk alone:
     * its services may come back).
     */
    private void fence(ChunkEntry e) {
        List<ReplicaIo.Outcome> outcomes = raiseFence(e);
        List<ReplicaIo.Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        if (failed.isEmpty()) {
            return;
        }
        if (outcomes.size() - failed.size() < io.data()) {
            log.warn("volume {}: only {} fragments of {} could be fenced, fewer than the {} needed; the chunk is "
                    + "unavailable: {}", ctx.volumeId, outcomes.size() - failed.size(), io.where(e.index()),
                    io.data(), Failures.describe(failed));
            return;
        }
        if (e.dirty() && failed.stream().anyMatch(o -> o.replica().fragment() < io.data() && !gone(o.error()))) {
            // A dirty chunk's parity is recomputed from its data fragments: dropping one would
            // leave its torn rows undecidable for good, so the chunk waits for its service. Nothing
            // of it is dropped meanwhile: any drop raises the version, which the waiting fragment
            // would then miss and count as stale.
            log.warn("volume {}: {} is dirty and data fragment(s) of it cannot be reached; kept for the parity"
                    + " resync once they can: {}", ctx.volumeId, io.where(e.index()), Failures.describe(failed));
            return;
        }
        io.drop(e.index(), failed.stream().map(ReplicaIo.Outcome::replica).toList(),
                "unreachable or inconsistent when the volume was opened: " + Failures.describe(failed));
    }

    /** Whether the fragment's service answered that its copy is missing or stale: it is not coming back. */
    private static boolean gone(Throwable error) {
        return error instanceof ChunkNotFoundException || error instanceof VersionMismatchException;
    }

    private List<ReplicaIo.Outcome> raiseFence(ChunkEntry e) {
        long epoch = lease.epoch();
        List<ReplicaIo.Outcome> outcomes = ctx.io.onEach(e.replicas(), (r, ops) -> {
            ChunkId id = EcChunkIo.id(e, r.fragment());
            ChunkInfo info = ops.stat(id).orElseThrow(() -> new ChunkNotFoundException(id));
            if (info.version() < e.version()) {
                // The previous writer died between dropping a fragment and raising the others.
                ops.setVersion(id, e.version());
            }
            ops.write(id, 0, ByteBuffer.allocate(0), e.version(), epoch, false);
        });
        StaleEpochException stale = Failures.staleEpoch(outcomes);
        if (stale != null) {
            lease.fence("a newer writer (epoch " + stale.chunkEpoch() + ") already fenced " + io.where(e.index()));
            lease.check();
        }
        return outcomes;
    }

    /** See {@link VolumeHandle#repair}: drops {@code remove}, then rebuilds up to {@code add} lost fragments. */
    VolumeHandle.RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        Objects.requireNonNull(remove, "remove");
        if (add < 0) {
            throw new IllegalArgumentException("add must be >= 0: " + add);
        }
        lease.check();
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            if (e == null) {
                throw new VolumeIoException(VolumeIoException.Kind.EINVAL, io.where(index) + " is not allocated");
            }
            // A background handle fenced nothing at open; and changing the set bumps the version,
            // which would turn a staying fragment that cannot be reached now into a stale one.
            List<ReplicaRef> unreachable = raiseFence(e).stream().filter(o -> !o.ok())
                    .map(ReplicaIo.Outcome::replica).filter(r -> !remove.contains(r)).toList();
            if (!unreachable.isEmpty()) {
                throw new ReplicaUnreachableException(ctx.volumeId, index, unreachable);
            }
            if (e.dirty() && !writer.ours(index) && !resync.resync(e)) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, io.where(index) + " may hold a torn stripe "
                        + "(left dirty by an earlier writer) and its data fragments cannot all be read to recompute "
                        + "its parity, so it cannot be repaired");
            }
            List<ReplicaRef> dropped = new ArrayList<>();
            for (ReplicaRef r : remove) {
                e = ctx.entry(index);
                if (!e.replicas().contains(r)) {
                    continue;
                }
                if (e.replicas().size() <= io.data()) {
                    throw new VolumeIoException(VolumeIoException.Kind.EIO, "cannot remove fragment " + r + " of "
                            + io.where(index) + ": only " + e.replicas().size() + " fragments are left and "
                            + io.data() + " are needed");
                }
                io.drop(index, List.of(r), "removed by repair");
                dropped.add(r);
                io.deleteQuietly(e.chunk(), List.of(r));
            }
            List<ReplicaRef> added = rebuild(index, add, dropped);
            long bytes = added.isEmpty() ? 0 : io.stripes.fragmentSize();
            return new VolumeHandle.RepairOutcome(index, added, dropped, bytes);
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Decodes up to {@code add} lost fragments whole and puts each on a new service, never on one
     * just removed ({@code avoid}): that is what the removal was for.
     */
    private List<ReplicaRef> rebuild(long index, int add, List<ReplicaRef> avoid) {
        ChunkEntry e = ctx.entry(index);
        List<Integer> lost = io.lost(e);
        lost = lost.subList(0, Math.min(add, lost.size()));
        if (lost.isEmpty()) {
            return List.of();
        }
        int size = io.stripes.fragmentSize();
        ctx.rebuildLimiter.acquire((long) size * lost.size());
        ByteBuffer[] all = io.rows(e, 0, io.stripes.rows(), writer::refusal, null, true);
        List<ReplicaRef> added = new ArrayList<>();
        for (int k : lost) {
            e = ctx.entry(index);
            List<ReplicaRef> existing = new ArrayList<>(e.replicas());
            existing.addAll(avoid);
            List<ReplicaRef> placed = ctx.placer.place(ctx.volumeId, index, 1, existing);
            if (placed.isEmpty()) {
                log.warn("volume {}: no service is left for fragment {} of {}", ctx.volumeId, k, io.where(index));
                break;
            }
            ReplicaRef target = placed.getFirst().withFragment(k);
            ChunkId id = EcChunkIo.id(e, k);
            long version = e.version();
            long epoch = lease.epoch();
            ByteBuffer data = all[k];
            ReplicaIo.Outcome made = ctx.io.onEach(List.of(target), (r, ops) -> {
                EcChunkIo.create(ops, id, version);
                ops.write(id, 0, data.duplicate(), version, epoch, true);
                ops.flush();
            }).getFirst();
            if (!made.ok()) {
                log.warn("volume {}: rebuilding fragment {} of {} on {} failed: {}", ctx.volumeId, k,
                        io.where(index), target, made.error().toString());
                io.deleteQuietly(e.chunk(), List.of(target));
                continue;
            }
            ChunkEntry before = e;
            long v = lease.catalog(() -> ctx.catalog.addReplica(lease.lease(), index, before.version(), target));
            List<ReplicaRef> refs = new ArrayList<>(e.replicas());
            refs.add(target);
            e = new ChunkEntry(index, e.chunk(), v, refs, e.dirty());
            ctx.put(e);
            log.info("volume {}: rebuilt fragment {} of {} on {} (chunk version now {})", ctx.volumeId, k,
                    io.where(index), target, v);
            List<ReplicaRef> behind = io.raise(e);
            if (!behind.isEmpty()) {
                io.drop(index, behind, "could not raise its version to " + v);
            }
            if (ctx.entry(index).replicas().contains(target)) {
                added.add(target);
            }
            ctx.stats.rebuilt(size);
        }
        return added;
    }

    /** Rewrites blocks (rows) of fragment {@code replica} decoded from the other fragments. */
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
            List<Integer> sorted = blocks.stream().distinct().sorted().toList();
            int i = 0;
            while (i < sorted.size()) {
                int first = sorted.get(i);
                int last = first;
                while (i + 1 < sorted.size() && sorted.get(i + 1) == last + 1) {
                    last = sorted.get(++i);
                }
                i++;
                if (first < 0 || last >= io.stripes.rows()) {
                    throw new VolumeIoException(VolumeIoException.Kind.EINVAL, "blocks " + first + "-" + last
                            + " are outside fragment " + replica + " of " + io.where(index) + " ("
                            + io.stripes.rows() + " blocks)");
                }
                ByteBuffer[] rows = io.rows(e, first, last + 1, writer::refusal, replica, true);
                ByteBuffer good = rows[replica.fragment()];
                long at = (long) first * UNIT;
                ChunkEntry used = e;
                ctx.io.run(replica, ops -> ops.write(EcChunkIo.id(used, replica.fragment()), at, good.duplicate(),
                        used.version(), lease.epoch(), true));
            }
        } finally {
            exclusive.unlock();
        }
    }
}
