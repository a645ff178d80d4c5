package io.keel.storage.volume;

import io.keel.ec.ReedSolomon;
import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fragments of one erasure-coded volume's chunks: reading ranges and whole rows (rebuilding
 * lost data fragments from any M survivors), and dropping fragments from the catalog the way
 * {@link ReplicaChanges} drops replicas. Shared by the read, write and repair paths of one handle.
 */
final class EcChunkIo {
    private static final Logger log = LoggerFactory.getLogger(EcChunkIo.class);
    private static final int MAX_CONFLICTS = 3;
    static final int UNIT = StripeLayout.UNIT;

    /** Why chunk {@code e} must not be rebuilt from parity, or null when it may be. */
    interface Refusal {
        String reason(ChunkEntry e);
    }

    final VolumeContext ctx;
    final ErasureShape shape;
    final StripeLayout stripes;
    final ReedSolomon codec;
    /** Null for a read-only handle, which changes nothing. */
    private final LeaseKeeper lease;

    EcChunkIo(VolumeContext ctx, LeaseKeeper lease) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.shape = Objects.requireNonNull(ctx.layout().ec(), "the volume is not erasure-coded");
        this.stripes = new StripeLayout(shape.data(), ctx.chunkSize());
        this.codec = ReedSolomon.of(shape.data(), shape.parity());
        this.lease = lease;
    }

    int data() {
        return shape.data();
    }

    int fragments() {
        return shape.fragments();
    }

    /** The ref holding fragment {@code k} of the chunk, or null when that fragment is lost. */
    static ReplicaRef ref(ChunkEntry e, int k) {
        for (ReplicaRef r : e.replicas()) {
            if (r.fragment() == k) {
                return r;
            }
        }
        return null;
    }

    static ChunkId id(ChunkEntry e, int k) {
        return ErasureShape.fragmentId(e.chunk(), k);
    }

    static ChunkEntry withDirty(ChunkEntry e, boolean dirty) {
        return new ChunkEntry(e.index(), e.chunk(), e.version(), e.replicas(), dirty);
    }

    String where(long index) {
        return "chunk " + index + " of volume " + ctx.volumeId;
    }

    /**
     * Fills {@code dst} from chunk range [offset, offset + dst.remaining()): from the data
     * fragments when they all answer, else from whole rows rebuilt from any M fragments.
     */
    void read(ChunkEntry e, int offset, ByteBuffer dst, Refusal refusal) {
        int length = dst.remaining();
        if (length == 0) {
            return;
        }
        if (!readHealthy(e, offset, dst)) {
            int r0 = stripes.firstRow(offset);
            int r1 = stripes.endRow(offset, length);
            ByteBuffer[] rows = rows(e, r0, r1, refusal, null, false);
            scatter(rows, r0 * UNIT, offset, dst);
        }
        dst.position(dst.limit());
    }

    /** Reads the range from the data fragments alone; false if one is lost or fails. */
    private boolean readHealthy(ChunkEntry e, int offset, ByteBuffer dst) {
        int length = dst.remaining();
        List<ReplicaRef> targets = new ArrayList<>();
        Map<ReplicaRef, StripeLayout.Range> ranges = new HashMap<>();
        for (int k = 0; k < data(); k++) {
            StripeLayout.Range range = stripes.touched(k, offset, length);
            if (range == null) {
                continue;
            }
            ReplicaRef r = ref(e, k);
            if (r == null) {
                return false;
            }
            targets.add(r);
            ranges.put(r, range);
        }
        if (targets.size() == 1) {
            // Inside one unit (or M = 1): the fragment's range is the destination as it is.
            return ctx.io.onEach(targets, (ref, ops) -> ops.read(id(e, ref.fragment()), ranges.get(ref).start(),
                    dst.duplicate())).getFirst().ok();
        }
        ByteBuffer[] bufs = new ByteBuffer[data()];
        int[] base = new int[data()];
        for (ReplicaRef r : targets) {
            bufs[r.fragment()] = ByteBuffer.allocate(ranges.get(r).length());
            base[r.fragment()] = ranges.get(r).start();
        }
        List<ReplicaIo.Outcome> outcomes = ctx.io.onEach(targets, (r, ops) -> ops.read(id(e, r.fragment()),
                ranges.get(r).start(), bufs[r.fragment()].duplicate()));
        // Debug: with a node down every read of its fragments lands here; the node loss is logged elsewhere.
        for (ReplicaIo.Outcome o : outcomes) {
            if (!o.ok()) {
                log.debug("volume {} chunk {}: reading fragment {} failed, rebuilding from the others: {}",
                        ctx.volumeId, e.index(), o.replica(), o.error().toString());
                return false;
            }
        }
        stripes.forEachPiece(offset, length, (k, fragOff, chunkOff, n) ->
                dst.put(dst.position() + chunkOff - offset, bufs[k], fragOff - base[k], n));
        return true;
    }

    /** Copies the range out of data fragment buffers that start at fragment offset {@code base}. */
    void scatter(ByteBuffer[] frags, int base, int offset, ByteBuffer dst) {
        stripes.forEachPiece(offset, dst.remaining(), (k, fragOff, chunkOff, n) ->
                dst.put(dst.position() + chunkOff - offset, frags[k], fragOff - base, n));
    }

    /**
     * Rows [r0, r1) of every fragment, read from up to M fragments (data ones first, never
     * {@code exclude}); the data fragments that could not be read are rebuilt by decoding, and
     * with {@code all} the parity ones too. Entries not needed may be null. Each buffer holds
     * (r1 - r0) units from position 0.
     *
     * @throws VolumeIoException EIO when fewer than M fragments answer, or when {@code refusal}
     *                           forbids rebuilding this chunk
     */
    ByteBuffer[] rows(ChunkEntry e, int r0, int r1, Refusal refusal, ReplicaRef exclude, boolean all) {
        int length = (r1 - r0) * UNIT;
        long at = (long) r0 * UNIT;
        ByteBuffer[] frags = new ByteBuffer[fragments()];
        List<ReplicaRef> candidates = new ArrayList<>(e.replicas());
        candidates.remove(exclude);
        candidates.sort(Comparator.comparingInt(ReplicaRef::fragment));
        List<ReplicaIo.Outcome> failed = new ArrayList<>();
        int have = 0;
        int next = 0;
        while (have < data() && next < candidates.size()) {
            List<ReplicaRef> batch = candidates.subList(next, Math.min(candidates.size(), next + data() - have));
            next += batch.size();
            Map<ReplicaRef, ByteBuffer> bufs = new HashMap<>();
            batch.forEach(r -> bufs.put(r, ByteBuffer.allocate(length)));
            for (ReplicaIo.Outcome o : ctx.io.onEach(batch, (r, ops) -> ops.read(id(e, r.fragment()), at,
                    bufs.get(r).duplicate()))) {
                if (o.ok()) {
                    frags[o.replica().fragment()] = bufs.get(o.replica());
                    have++;
                } else {
                    failed.add(o);
                }
            }
        }
        if (have < data()) {
            VolumeIoException x = new VolumeIoException(VolumeIoException.Kind.EIO, where(e.index()) + ": rows "
                    + r0 + "-" + (r1 - 1) + " cannot be read, only " + have + " of its " + shape + " fragments "
                    + "answered and " + data() + " are needed; lost: " + lost(e) + "; failed: "
                    + (failed.isEmpty() ? "none" : Failures.describe(failed)));
            failed.forEach(o -> x.addSuppressed(o.error()));
            throw x;
        }
        boolean missing = false;
        for (int k = 0; k < (all ? fragments() : data()); k++) {
            missing |= frags[k] == null;
        }
        if (!missing) {
            return frags;
        }
        String refused = refusal == null ? null : refusal.reason(e);
        if (refused != null) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, where(e.index()) + " may hold a torn stripe, "
                    + "so its lost data fragments are not rebuilt from parity: " + refused);
        }
        ByteBuffer[] recovered = new ByteBuffer[fragments()];
        for (int k = 0; k < fragments(); k++) {
            if (frags[k] == null) {
                recovered[k] = ByteBuffer.allocate(length);
            }
        }
        codec.decode(frags, recovered);
        for (int k = 0; k < fragments(); k++) {
            if (frags[k] == null) {
                frags[k] = recovered[k];
            }
        }
        return frags;
    }

    /** The fragment indexes absent from the entry, for messages. */
    List<Integer> lost(ChunkEntry e) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < fragments(); k++) {
            if (ref(e, k) == null) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Drops fragments {@code bad} of chunk {@code index} from the catalog (each drop bumps the
     * version), then raises the survivors' stored versions; a survivor that cannot be raised is
     * dropped too, since it would look like a copy that missed a write. Callers hold the chunk's
     * exclusive lock.
     *
     * @throws VolumeIoException EIO if fewer than M fragments are left
     */
    ChunkEntry drop(long index, Collection<ReplicaRef> bad, String reason) {
        Objects.requireNonNull(lease, "read-only handles change nothing");
        ChunkEntry e = ctx.entry(index);
        Deque<ReplicaRef> todo = new ArrayDeque<>(bad);
        List<ReplicaRef> behind = new ArrayList<>();
        int conflicts = 0;
        while (e != null && !todo.isEmpty()) {
            ReplicaRef r = todo.poll();
            if (!e.replicas().contains(r)) {
                continue;
            }
            ChunkEntry current = e;
            long v;
            try {
                v = lease.catalog(() -> ctx.catalog.dropReplica(lease.lease(), index, current.version(), r));
            } catch (CatalogConflictException c) {
                if (++conflicts > MAX_CONFLICTS) {
                    throw c;
                }
                e = ctx.reloadEntry(index);
                todo.addFirst(r);
                continue;
            }
            e = new ChunkEntry(index, e.chunk(), v, ReplicaChanges.without(e.replicas(), r), e.dirty());
            ctx.put(e);
            ctx.stats.replicaDropped();
            log.warn("volume {} chunk {}: dropped fragment {} (chunk version now {}): {}", ctx.volumeId, index, r, v,
                    behind.contains(r) ? "could not raise its version after another fragment was dropped" : reason);
            if (todo.isEmpty()) {
                List<ReplicaRef> late = raise(e);
                behind.addAll(late);
                todo.addAll(late);
            }
        }
        if (e != null && e.replicas().size() < data()) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, where(index) + " has only "
                    + e.replicas().size() + " of its " + shape + " fragments left, fewer than the " + data()
                    + " needed to read it: " + reason);
        }
        return e;
    }

    /** Sets every fragment's stored version to the entry's; returns those that failed. */
    List<ReplicaRef> raise(ChunkEntry e) {
        List<ReplicaRef> failed = new ArrayList<>();
        for (ReplicaIo.Outcome o : ctx.io.onEach(e.replicas(), (r, ops) -> ops.setVersion(id(e, r.fragment()),
                e.version()))) {
            if (!o.ok()) {
                log.warn("volume {} chunk {}: raising fragment {} to version {} failed: {}", ctx.volumeId,
                        e.index(), o.replica(), e.version(), o.error().toString());
                failed.add(o.replica());
            }
        }
        return failed;
    }

    /** Creates a fragment chunk, replacing a leftover no catalog entry refers to. */
    static void create(ChunkOperations ops, ChunkId id, long version) {
        try {
            ops.create(id, version);
        } catch (ChunkExistsException x) {
            // Left by an allocation that lost a race, or a stale copy from before this service
            // was dropped: nothing refers to it and its data is not to be trusted.
            ops.delete(id);
            ops.create(id, version);
        }
    }

    /** Deletes fragments of {@code chunk} nothing refers to; failures only leave garbage behind. */
    void deleteQuietly(ChunkId chunk, List<ReplicaRef> refs) {
        for (ReplicaIo.Outcome o : ctx.io.onEach(refs, (r, ops) -> ops.delete(ErasureShape.fragmentId(chunk,
                r.fragment())))) {
            if (!o.ok()) {
                log.info("volume {} chunk {}: deleting unused fragment {} failed: {}", ctx.volumeId, chunk.index(),
                        o.replica(), o.error().toString());
            }
        }
    }
}
