package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.StaleEpochException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and zeroes erasure-coded chunks stripe row by stripe row: rows the request covers only
 * partly are read first, parity is recomputed for every touched row, and the changed data
 * ranges and the parity go to their fragments in parallel. Each chunk is marked dirty in the
 * catalog before this handle first changes it, because fragments are written independently and
 * a writer that dies in between leaves parity that no longer matches the data.
 */
final class EcWriter {
    private static final Logger log = LoggerFactory.getLogger(EcWriter.class);
    private static final int UNIT = StripeLayout.UNIT;

    /** A fragment of chunk {@code index} written since the last flush. */
    private record Written(long index, ReplicaRef fragment) {}

    private final VolumeContext ctx;
    private final EcChunkIo io;
    private final LeaseKeeper lease;
    private final EcResync resync;
    private final StripeLayout stripes;
    /** Chunks this handle marked dirty; cleared on close once everything is flushed. */
    private final Set<Long> marked = ConcurrentHashMap.newKeySet();
    /** When each marked chunk last started a change (System.nanoTime), set under its exclusive lock. */
    private final ConcurrentHashMap<Long, Long> lastChange = new ConcurrentHashMap<>();
    /** Chunks a failed change may have left inconsistent: they stay dirty. */
    private final Set<Long> torn = ConcurrentHashMap.newKeySet();
    /** By chunk service (fragment stripped): what a failed flush of it puts in doubt. */
    private final ConcurrentHashMap<ReplicaRef, Set<Written>> unflushed = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();

    EcWriter(VolumeContext ctx, EcChunkIo io, LeaseKeeper lease, EcResync resync) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.io = Objects.requireNonNull(io, "io");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.resync = Objects.requireNonNull(resync, "resync");
        this.stripes = io.stripes;
    }

    /** Whether this handle marked chunk {@code index} dirty and so orders every change of it. */
    boolean ours(long index) {
        return marked.contains(index);
    }

    /**
     * What a writable handle may not rebuild: a chunk left dirty by an earlier writer whose parity
     * could not be recomputed when this one took over.
     */
    String refusal(ChunkEntry e) {
        return e.dirty() && !ours(e.index()) ? "it was left dirty by an earlier writer and its parity could not "
                + "be recomputed yet" : null;
    }

    void write(long index, int offset, ByteBuffer data, boolean fua) {
        lease.check();
        if (ctx.entry(index) == null) {
            allocate(index);
        }
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            writeLocked(index, offset, data, fua);
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * Makes the range read as zeros: rows it covers fully are trimmed on every fragment (the
     * parity of zeros is zeros), partial rows are written with zeros. Unallocated chunks stay so.
     */
    void zero(long index, int offset, int length) {
        lease.check();
        if (ctx.entry(index) == null || length == 0) {
            return;
        }
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            int fr0 = stripes.firstFullRow(offset);
            int fr1 = stripes.endFullRow(offset, length);
            if (fr0 >= fr1) {
                writeLocked(index, offset, ByteBuffer.allocate(length), false);
                return;
            }
            int end = offset + length;
            if (offset < stripes.rowStart(fr0)) {
                writeLocked(index, offset, ByteBuffer.allocate(stripes.rowStart(fr0) - offset), false);
            }
            ChunkEntry used = mark(settled(ctx.entry(index)));
            lastChange.put(index, System.nanoTime());
            long at = (long) fr0 * UNIT;
            long n = (long) (fr1 - fr0) * UNIT;
            long epoch = lease.epoch();
            settle(index, "zeroing rows " + fr0 + "-" + (fr1 - 1), false, ctx.io.onEachAsync(used.replicas(),
                    (r, ops) -> ops.trimAsync(EcChunkIo.id(used, r.fragment()), at, n, used.version(), epoch)));
            if (stripes.rowEnd(fr1 - 1) < end) {
                int from = stripes.rowEnd(fr1 - 1);
                writeLocked(index, from, ByteBuffer.allocate(end - from), false);
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** Writes under the chunk's exclusive lock: the read-modify-write of a row must not interleave. */
    private void writeLocked(long index, int offset, ByteBuffer data, boolean fua) {
        int length = data.remaining();
        if (length == 0) {
            return;
        }
        ChunkEntry e = ctx.entry(index);
        if (e == null) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, io.where(index) + " is not allocated: its "
                    + "allocation lost a race to another writer's, which the catalog no longer shows");
        }
        if (!ctx.owned(e)) {
            throw new VolumeIoException(VolumeIoException.Kind.EINVAL, io.where(index) + " is shared with a "
                    + "snapshot, and erasure-coded chunks cannot be copied on write yet");
        }
        e = mark(settled(e));
        EcChunkIo.Refusal refusal = this::refusal;
        lastChange.put(index, System.nanoTime());
        int m = io.data();
        int r0 = stripes.firstRow(offset);
        int r1 = stripes.endRow(offset, length);
        int rows = r1 - r0;
        ByteBuffer[] d = new ByteBuffer[m];
        for (int k = 0; k < m; k++) {
            d[k] = ByteBuffer.allocate(rows * UNIT);
        }
        if (!stripes.covers(offset, length, r0)) {
            fill(d, 0, io.rows(e, r0, r0 + 1, refusal, null, false));
        }
        if (rows > 1 && !stripes.covers(offset, length, r1 - 1)) {
            fill(d, (rows - 1) * UNIT, io.rows(e, r1 - 1, r1, refusal, null, false));
        }
        int base = r0 * UNIT;
        int src = data.position();
        stripes.forEachPiece(offset, length, (k, fragOff, chunkOff, n) ->
                d[k].put(fragOff - base, data, src + chunkOff - offset, n));
        ByteBuffer[] p = new ByteBuffer[io.fragments() - m];
        for (int j = 0; j < p.length; j++) {
            p[j] = ByteBuffer.allocate(rows * UNIT);
        }
        io.codec.encode(d, p);

        Map<ReplicaRef, ByteBuffer> bufs = new HashMap<>();
        Map<ReplicaRef, Long> offsets = new HashMap<>();
        for (int k = 0; k < m; k++) {
            StripeLayout.Range range = stripes.touched(k, offset, length);
            ReplicaRef r = EcChunkIo.ref(e, k);
            if (range != null && r != null) {
                bufs.put(r, d[k].slice(range.start() - base, range.length()));
                offsets.put(r, (long) range.start());
            }
        }
        for (int j = 0; j < p.length; j++) {
            ReplicaRef r = EcChunkIo.ref(e, m + j);
            if (r != null) {
                bufs.put(r, p[j]);
                offsets.put(r, (long) base);
            }
        }
        ChunkEntry used = e;
        long epoch = lease.epoch();
        List<ReplicaRef> targets = List.copyOf(bufs.keySet());
        settle(index, "write", fua, ctx.io.onEachAsync(targets, (r, ops) -> ops.writeAsync(EcChunkIo.id(used,
                r.fragment()), offsets.get(r), bufs.get(r), used.version(), epoch, fua)));
    }

    /**
     * The chunk ready for a change by this handle: one an earlier writer left dirty is resynced
     * first, and while it cannot be (a data fragment out of reach), the change is refused. Writing
     * anyway would either need its untrustworthy parity or, if a fragment write failed, drop the
     * very data fragment the resync needs, leaving its torn rows undecidable for good.
     */
    private ChunkEntry settled(ChunkEntry e) {
        if (refusal(e) == null) {
            return e;
        }
        if (!resync.resync(e)) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, io.where(e.index()) + " was left dirty by an "
                    + "earlier writer and not all its data fragments can be read yet, so its parity cannot be "
                    + "recomputed; it takes no writes until they can (the node holding them must return)");
        }
        return ctx.entry(e.index());
    }

    /** Copies whole rows read by {@link EcChunkIo#rows} into the data buffers at {@code at}. */
    private void fill(ByteBuffer[] d, int at, ByteBuffer[] rows) {
        for (int k = 0; k < d.length; k++) {
            d[k].put(at, rows[k], 0, UNIT);
        }
    }

    /** Marks the chunk dirty in the catalog unless this handle already did. */
    private ChunkEntry mark(ChunkEntry e) {
        if (e.dirty() && ours(e.index())) {
            return e;
        }
        long index = e.index();
        lease.catalog(() -> {
            ctx.catalog.markDirty(lease.lease(), index, true);
            return null;
        });
        marked.add(index);
        ChunkEntry d = EcChunkIo.withDirty(ctx.entry(index), true);
        ctx.put(d);
        return d;
    }

    /**
     * What a change's outcomes mean: fenced, or fragments to drop (after which the survivors all
     * hold the change, so the stripe is consistent again unless fewer than M are left).
     */
    private void settle(long index, String what, boolean durable, List<ReplicaIo.Outcome> outcomes) {
        StaleEpochException stale = Failures.staleEpoch(outcomes);
        if (stale != null) {
            torn.add(index);
            lease.fence("a newer writer (epoch " + stale.chunkEpoch() + ") wrote " + io.where(index));
            lease.check();
        }
        List<ReplicaIo.Outcome> failed = new ArrayList<>();
        for (ReplicaIo.Outcome o : outcomes) {
            if (o.ok() && durable) {
                continue;
            }
            if (o.ok()) {
                unflushed.computeIfAbsent(FragmentServices.disk(o.replica()), s -> ConcurrentHashMap.newKeySet())
                        .add(new Written(index, o.replica()));
            } else {
                failed.add(o);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        try {
            io.drop(index, failed.stream().map(ReplicaIo.Outcome::replica).toList(), what + " failed on fragment(s) "
                    + Failures.describe(failed));
        } catch (RuntimeException x) {
            torn.add(index);
            failed.forEach(o -> x.addSuppressed(o.error()));
            throw x;
        }
    }

    /**
     * Makes every change so far durable on every fragment service written since the last flush;
     * a fragment whose service fails the flush is dropped from each chunk written there.
     */
    void flush() {
        lease.check();
        flushing.lock();
        try {
            List<ReplicaRef> targets = new ArrayList<>(unflushed.keySet());
            List<Set<Written>> written = new ArrayList<>();
            for (ReplicaRef r : targets) {
                Set<Written> s = unflushed.remove(r);
                written.add(s == null ? Set.of() : s);
            }
            List<ReplicaIo.Outcome> outcomes = ctx.io.onAll(targets, ChunkOperations::flush);
            for (int i = 0; i < outcomes.size(); i++) {
                ReplicaIo.Outcome o = outcomes.get(i);
                if (o.ok()) {
                    continue;
                }
                for (Written w : written.get(i)) {
                    Lock exclusive = ctx.locks.exclusive(w.index());
                    exclusive.lock();
                    try {
                        io.drop(w.index(), List.of(w.fragment()), "flush failed: " + o.error().getMessage());
                    } catch (RuntimeException x) {
                        torn.add(w.index());
                        throw x;
                    } finally {
                        exclusive.unlock();
                    }
                }
            }
        } finally {
            flushing.unlock();
        }
    }

    /**
     * Clears the marks of chunks that have not changed for {@code idle}: every change before this
     * call is flushed first, and a chunk is cleared under its exclusive lock only if no change
     * started since, so no change can be in flight or unflushed. A writer that dies then leaves
     * dirty only what it changed in its last moments, not everything it ever touched: a node
     * holding a data fragment of a dirty chunk can then go down with its writer and the chunk
     * still decodes (ADR 0051).
     */
    void clearIdle(java.time.Duration idle) {
        long now = System.nanoTime();
        List<Long> quiet = marked.stream().filter(i -> !torn.contains(i))
                .filter(i -> now - lastChange.getOrDefault(i, 0L) >= idle.toNanos()).toList();
        if (quiet.isEmpty()) {
            return;
        }
        long flushedFrom = System.nanoTime();
        flush();
        for (long index : quiet) {
            Lock exclusive = ctx.locks.exclusive(index);
            exclusive.lock();
            try {
                if (lastChange.getOrDefault(index, 0L) >= flushedFrom || torn.contains(index)
                        || !marked.contains(index)) {
                    continue;
                }
                clear(index);
            } finally {
                exclusive.unlock();
            }
        }
    }

    private void clear(long index) {
        lease.catalog(() -> {
            ctx.catalog.markDirty(lease.lease(), index, false);
            return null;
        });
        marked.remove(index);
        lastChange.remove(index);
        ChunkEntry e = ctx.entry(index);
        if (e != null) {
            ctx.put(EcChunkIo.withDirty(e, false));
        }
    }

    /** After a successful flush: every chunk this handle marked is consistent again. */
    void clearMarks() {
        for (long index : List.copyOf(marked)) {
            if (torn.contains(index)) {
                log.warn("volume {}: leaving {} dirty, a change of it failed part-way", ctx.volumeId,
                        io.where(index));
                continue;
            }
            clear(index);
        }
    }

    /** Allocates chunk {@code index} with one fragment on each of M+N services. */
    private void allocate(long index) {
        Lock exclusive = ctx.locks.exclusive(index);
        exclusive.lock();
        try {
            if (ctx.entry(index) != null) {
                return;
            }
            int want = io.fragments();
            List<ReplicaRef> placed = ctx.placer.place(ctx.volumeId, index, want, List.of());
            if (placed.size() < want) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, io.where(index) + " needs " + want
                        + " fragment services in distinct failure domains, only " + placed.size() + " are available");
            }
            List<ReplicaRef> refs = new ArrayList<>();
            for (int k = 0; k < want; k++) {
                refs.add(placed.get(k).withFragment(k));
            }
            ChunkId id = new ChunkId(ctx.storageId(), index);
            List<ReplicaIo.Outcome> created = ctx.io.onEach(refs, (r, ops) ->
                    EcChunkIo.create(ops, ErasureShape.fragmentId(id, r.fragment()), 1));
            List<ReplicaIo.Outcome> failed = created.stream().filter(o -> !o.ok()).toList();
            if (!failed.isEmpty()) {
                io.deleteQuietly(id, created.stream().filter(ReplicaIo.Outcome::ok).map(ReplicaIo.Outcome::replica)
                        .toList());
                throw new VolumeIoException(Failures.kindOf(failed.getFirst().error()), "creating the fragments of "
                        + io.where(index) + " failed on " + Failures.describe(failed));
            }
            try {
                ctx.put(lease.catalog(() -> ctx.catalog.allocate(lease.lease(), index, refs)));
            } catch (ChunkAllocatedException | CatalogConflictException x) {
                log.info("volume {} chunk {}: {}; reloading the layout", ctx.volumeId, index, x.getMessage());
                ChunkEntry winner = ctx.reloadEntry(index);
                // Never delete a fragment the winning entry names: it may be the very file we created.
                List<ReplicaRef> unused = new ArrayList<>(refs);
                if (winner != null && winner.chunk().equals(id)) {
                    unused.removeAll(winner.replicas());
                }
                io.deleteQuietly(id, unused);
            } catch (RuntimeException x) {
                io.deleteQuietly(id, refs);
                throw x;
            }
        } finally {
            exclusive.unlock();
        }
    }
}
