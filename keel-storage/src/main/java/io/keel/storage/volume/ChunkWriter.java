package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.StaleEpochException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one write or trim to every replica of one chunk, allocating the chunk or copying it
 * away from a snapshot first when needed. A replica that fails is dropped from the catalog before
 * the request is acknowledged, so every replica the catalog still names has every acknowledged
 * write.
 */
final class ChunkWriter {
    private static final Logger log = LoggerFactory.getLogger(ChunkWriter.class);
    private static final int COPY_PIECE = 1 << 20;

    /** A change to one replica's copy at the given version and epoch. */
    interface Mutation {
        CompletableFuture<Void> start(ChunkOperations ops, ChunkId id, long version, long epoch);
    }

    private final VolumeContext ctx;
    private final LeaseKeeper lease;
    private final ReplicaChanges changes;
    /** Chunks written on each replica since the last flush, so a failed flush knows what to drop. */
    private final ConcurrentHashMap<ReplicaRef, Set<Long>> dirty = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();

    ChunkWriter(VolumeContext ctx, LeaseKeeper lease, ReplicaChanges changes) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.changes = Objects.requireNonNull(changes, "changes");
    }

    void write(long index, int offset, ByteBuffer data, boolean fua) {
        apply(index, true, !fua, "write", (ops, id, v, e) -> ops.writeAsync(id, offset, data, v, e, fua));
    }

    void trim(long index, int offset, int length) {
        apply(index, false, true, "trim", (ops, id, v, e) -> ops.trimAsync(id, offset, length, v, e));
    }

    private void apply(long index, boolean allocate, boolean markDirty, String what, Mutation m) {
        while (true) {
            lease.check();
            ChunkEntry e = ctx.entry(index);
            if (e == null && !allocate) {
                return;
            }
            if (e == null || !ctx.owned(e)) {
                prepare(index);
                continue;
            }
            List<ReplicaIo.Outcome> outcomes;
            Lock shared = ctx.locks.shared(index);
            shared.lock();
            try {
                e = ctx.entry(index);
                if (e == null || !ctx.owned(e)) {
                    continue;
                }
                ChunkEntry used = e;
                long epoch = lease.epoch();
                List<ReplicaRef> targets = new ArrayList<>(used.replicas());
                targets.addAll(ctx.rebuilding(index));
                outcomes = afterFanOut(index, what, markDirty, used.replicas().size(),
                        ctx.io.onAllAsync(targets, ops -> m.start(ops, used.chunk(), used.version(), epoch)));
            } finally {
                shared.unlock();
            }
            settle(index, what, outcomes);
            return;
        }
    }

    /**
     * Starts a write to every replica of chunk {@code index} and returns without waiting for them
     * (ADR 0013, "writes started inline"). The chunk's shared lock is taken here and given back
     * on whichever thread sees the last replica answer; the future completes only after every
     * replica answered and, if one failed, after it was dropped from the catalog exactly as
     * {@link #write} does it, so a completed future means what a returned {@link #write} means.
     * Sends to the replicas happen before this returns, in call order, so writes started one
     * after another from one thread reach every replica in that order. Allocation and
     * copy-on-write still happen here, on the calling thread, before the write starts. With
     * {@code hold}, requests to remote replicas may stay queued until {@link ReplicaIo#sendHeld}
     * (this sends them itself before it waits for a lock or an allocation).
     */
    CompletableFuture<Void> writeAsync(long index, int offset, ByteBuffer data, boolean hold) {
        while (true) {
            lease.check();
            ChunkEntry e = ctx.entry(index);
            if (e == null || !ctx.owned(e)) {
                sendHeldIf(hold);
                prepare(index);
                continue;
            }
            OwnerlessLock lock = ctx.locks.lock(index);
            if (!lock.tryLockShared()) {
                // The exclusive holder (or waiter) may be waiting for writes whose requests are still queued.
                sendHeldIf(hold);
                lock.lockShared();
            }
            CompletableFuture<List<ReplicaIo.Outcome>> started;
            int named;
            try {
                e = ctx.entry(index);
                if (e == null || !ctx.owned(e)) {
                    lock.unlockShared();
                    continue;
                }
                ChunkEntry used = e;
                long epoch = lease.epoch();
                List<ReplicaRef> targets = new ArrayList<>(used.replicas());
                targets.addAll(ctx.rebuilding(index));
                named = used.replicas().size();
                started = ctx.io.startAll(targets, hold
                        ? ops -> ops.writeAsyncHeld(used.chunk(), offset, data, used.version(), epoch)
                        : ops -> ops.writeAsync(used.chunk(), offset, data, used.version(), epoch, false), hold);
            } catch (RuntimeException x) {
                lock.unlockShared();
                throw x;
            }
            return started.thenCompose(all -> {
                List<ReplicaIo.Outcome> outcomes;
                try {
                    outcomes = afterFanOut(index, "write", true, named, all);
                } finally {
                    lock.unlockShared();
                }
                if (outcomes.stream().allMatch(ReplicaIo.Outcome::ok)) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                // Dropping a replica waits on the catalog: never on a chunk client's reader thread.
                return CompletableFuture.runAsync(() -> settle(index, "write", outcomes), ctx.io.executor());
            });
        }
    }

    /** Before waiting: see {@link ReplicaIo#sendHeld}. */
    private void sendHeldIf(boolean hold) {
        if (hold) {
            ctx.io.sendHeld();
        }
    }

    /**
     * What both ways to write do once every replica answered, under the chunk's shared lock:
     * abandon copies being rebuilt that failed, and note which replicas a flush must cover.
     * Returns the outcomes the request depends on.
     */
    private List<ReplicaIo.Outcome> afterFanOut(long index, String what, boolean markDirty, int named,
            List<ReplicaIo.Outcome> all) {
        List<ReplicaIo.Outcome> outcomes = new ArrayList<>(all);
        for (ReplicaIo.Outcome o : outcomes.subList(named, outcomes.size())) {
            if (!o.ok() && !(o.error() instanceof StaleEpochException)) {
                // Only the rebuild loses its copy; the request does not depend on it.
                log.warn("volume {} chunk {}: {} to the copy being rebuilt on {} failed, abandoning it: {}",
                        ctx.volumeId, index, what, o.replica(), o.error().toString());
                ctx.stopRebuilding(index, o.replica());
            }
        }
        outcomes.subList(named, outcomes.size()).removeIf(o -> !(o.error() instanceof StaleEpochException));
        if (markDirty) {
            for (ReplicaIo.Outcome o : outcomes) {
                if (o.ok()) {
                    markDirty(o.replica(), index);
                }
            }
        }
        return outcomes;
    }

    /**
     * Atomic with {@link #flush}'s removal of the replica's set: an index added to a set the flush
     * has already taken would be covered by no later flush.
     */
    private void markDirty(ReplicaRef replica, long index) {
        dirty.compute(replica, (r, s) -> {
            s = s == null ? ConcurrentHashMap.newKeySet() : s;
            s.add(index);
            return s;
        });
    }

    /** Decides what a fan-out's failures mean: fenced, failed request, or replicas to drop. */
    private void settle(long index, String what, List<ReplicaIo.Outcome> outcomes) {
        StaleEpochException stale = Failures.staleEpoch(outcomes);
        if (stale != null) {
            lease.fence("a newer writer (epoch " + stale.chunkEpoch() + ") wrote chunk " + index);
            lease.check();
        }
        List<ReplicaIo.Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        if (failed.isEmpty()) {
            return;
        }
        if (failed.size() == outcomes.size()) {
            throw Failures.allFailed(what, ctx.volumeId, index, failed);
        }
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            changes.drop(index, failed.stream().map(ReplicaIo.Outcome::replica).toList(),
                    what + " failed: " + Failures.describe(failed));
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Makes every write acknowledged so far durable on every replica written since the last flush.
     * Flushes run one at a time: a flush that found a replica's set already taken by a flush still
     * in progress would otherwise return before that replica's disk was forced, and a caller's
     * FLUSH / SYNCHRONIZE CACHE would be acknowledged early.
     */
    void flush() {
        lease.check();
        flushing.lock();
        try {
            flushTaken();
        } finally {
            flushing.unlock();
        }
    }

    private void flushTaken() {
        List<ReplicaRef> targets = new ArrayList<>(dirty.keySet());
        List<Set<Long>> chunks = new ArrayList<>();
        for (ReplicaRef r : targets) {
            Set<Long> s = dirty.remove(r);
            chunks.add(s == null ? Set.of() : s);
        }
        List<ReplicaIo.Outcome> outcomes = ctx.io.onAll(targets, ChunkOperations::flush);
        for (int i = 0; i < outcomes.size(); i++) {
            ReplicaIo.Outcome o = outcomes.get(i);
            if (o.ok()) {
                continue;
            }
            for (long index : chunks.get(i)) {
                // Data acknowledged on that replica may not have reached its disk: it can no longer
                // count as a copy.
                Lock exclusive = ctx.locks.exclusive(index);
                exclusive.lock();
                try {
                    changes.drop(index, List.of(o.replica()), "flush failed: " + o.error().getMessage());
                } finally {
                    exclusive.unlock();
                }
            }
        }
    }

    /** Allocates chunk {@code index} or copies it off a shared snapshot chunk. */
    private void prepare(long index) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            if (e != null && ctx.owned(e)) {
                return;
            }
            ChunkId id = new ChunkId(ctx.storageId(), index);
            List<ReplicaRef> placed = ctx.placer.place(ctx.volumeId, index, ctx.layout().replicas(), List.of());
            if (placed.isEmpty()) {
                throw new VolumeIoException(VolumeIoException.Kind.ENOSPC, "no chunk service has room for chunk "
                        + index + " of volume " + ctx.volumeId);
            }
            List<ReplicaRef> created = create(index, id, placed);
            try {
                if (e == null) {
                    ctx.put(lease.catalog(() -> ctx.catalog.allocate(lease.lease(), index, created)));
                } else {
                    List<ReplicaRef> copied = copy(e, id, created);
                    String source = e.chunk().volumeId();
                    ctx.put(lease.catalog(() -> ctx.catalog.copyOnWrite(lease.lease(), index, source, copied)));
                }
            } catch (ChunkAllocatedException | CatalogConflictException x) {
                log.info("volume {} chunk {}: {}; reloading the layout", ctx.volumeId, index, x.getMessage());
                ChunkEntry winner = ctx.reloadEntry(index);
                // Never delete a copy the winning entry names: it may be the very file we created.
                List<ReplicaRef> unused = new ArrayList<>(created);
                if (winner != null && winner.chunk().equals(id)) {
                    unused.removeAll(winner.replicas());
                }
                deleteQuietly(id, unused);
            } catch (RuntimeException x) {
                deleteQuietly(id, created);
                throw x;
            }
        } finally {
            exclusive.unlock();
        }
    }

    private List<ReplicaRef> create(long index, ChunkId id, List<ReplicaRef> placed) {
        List<ReplicaIo.Outcome> outcomes = ctx.io.onAll(placed, ops -> {
            try {
                ops.create(id, 1);
            } catch (ChunkExistsException x) {
                // Left behind by an allocation that lost the race or a writer that died before
                // the catalog recorded it: nothing refers to it.
                ops.delete(id);
                ops.create(id, 1);
            }
        });
        List<ReplicaRef> created = outcomes.stream().filter(ReplicaIo.Outcome::ok).map(ReplicaIo.Outcome::replica)
                .toList();
        if (created.isEmpty()) {
            throw Failures.allFailed("creating", ctx.volumeId, index, outcomes);
        }
        outcomes.stream().filter(o -> !o.ok()).forEach(o -> log.warn("volume {} chunk {}: creating a copy on {} "
                + "failed, the chunk starts with fewer replicas: {}", ctx.volumeId, index, o.replica(),
                o.error().toString()));
        return created;
    }

    /** Copies the shared chunk's data onto {@code targets}; returns those that took all of it. */
    private List<ReplicaRef> copy(ChunkEntry source, ChunkId id, List<ReplicaRef> targets) {
        List<ReplicaRef> live = new ArrayList<>(targets);
        long epoch = lease.epoch();
        for (Extent x : sourceExtents(source)) {
            for (long off = x.offset(); off < x.end(); off += COPY_PIECE) {
                int n = (int) Math.min(COPY_PIECE, x.end() - off);
                ByteBuffer data = readSource(source, off, n);
                long at = off;
                for (ReplicaIo.Outcome o : ctx.io.onAll(live, ops -> ops.write(id, at, data.duplicate(), 1, epoch, false))) {
                    if (!o.ok()) {
                        live.remove(o.replica());
                        deleteQuietly(id, List.of(o.replica()));
                    }
                }
                if (live.isEmpty()) {
                    throw new VolumeIoException(VolumeIoException.Kind.EIO, "copying chunk " + source.index()
                            + " of volume " + ctx.volumeId + " off its snapshot failed on every new replica");
                }
            }
        }
        return live;
    }

    List<Extent> sourceExtents(ChunkEntry source) {
        List<ReplicaIo.Outcome> failed = new ArrayList<>();
        for (ReplicaRef r : source.replicas()) {
            try {
                return ctx.io.call(r, ops -> ops.extents(source.chunk()));
            } catch (RuntimeException x) {
                failed.add(new ReplicaIo.Outcome(r, x));
            }
        }
        throw Failures.allFailed("listing extents", ctx.volumeId, source.index(), failed);
    }

    ByteBuffer readSource(ChunkEntry source, long offset, int length) {
        List<ReplicaIo.Outcome> failed = new ArrayList<>();
        for (ReplicaRef r : source.replicas()) {
            ByteBuffer b = ByteBuffer.allocate(length);
            try {
                ctx.io.run(r, ops -> ops.read(source.chunk(), offset, b));
                return b.flip();
            } catch (RuntimeException x) {
                failed.add(new ReplicaIo.Outcome(r, x));
            }
        }
        throw Failures.allFailed("reading", ctx.volumeId, source.index(), failed);
    }

    void deleteQuietly(ChunkId id, List<ReplicaRef> replicas) {
        for (ReplicaIo.Outcome o : ctx.io.onAll(replicas, ops -> ops.delete(id))) {
            if (!o.ok()) {
                log.info("volume {}: deleting unused copy {} on {} failed: {}", ctx.volumeId, id, o.replica(),
                        o.error().toString());
            }
        }
    }
}
