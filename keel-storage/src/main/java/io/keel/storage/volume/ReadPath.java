package io.keel.storage.volume;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.ChunkStoreOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a volume range chunk by chunk, from a local replica when there is one, otherwise from
 * the replicas in turn so reads spread over them; falls over to the next replica on any failure.
 */
final class ReadPath {
    private static final int BLOCK = ChunkStoreOptions.BLOCK_SIZE;

    /** Rewrites blocks of a replica found corrupt, from good data; absent for read-only handles. */
    interface BlockRepair {
        void repair(long index, ReplicaRef replica, List<Integer> blocks);
    }

    private final VolumeContext ctx;
    private final BlockRepair repair;
    private final boolean refreshOnNotFound;
    private final AtomicInteger rotation = new AtomicInteger();

    ReadPath(VolumeContext ctx, BlockRepair repair, boolean refreshOnNotFound) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.repair = repair;
        this.refreshOnNotFound = refreshOnNotFound;
    }

    void read(long offset, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        ctx.checkRange(offset, dst.remaining());
        int chunkSize = ctx.chunkSize();
        long pos = offset;
        while (dst.hasRemaining()) {
            long index = pos / chunkSize;
            int inChunk = (int) (pos % chunkSize);
            int n = Math.min(dst.remaining(), chunkSize - inChunk);
            ByteBuffer piece = dst.slice(dst.position(), n);
            readChunk(index, inChunk, piece);
            dst.position(dst.position() + n);
            pos += n;
        }
        ctx.stats.read();
    }

    private void readChunk(long index, int offset, ByteBuffer piece) {
        ChunkEntry e = ctx.entry(index);
        if (e == null) {
            zero(piece);
            return;
        }
        Attempt a = attempt(e, offset, piece);
        if (a.error != null && a.notFound && refreshOnNotFound) {
            // The writer may have moved the chunk (copy-on-write, repair) since our layout was read.
            e = ctx.reloadEntry(index);
            if (e == null) {
                zero(piece);
                return;
            }
            a = attempt(e, offset, piece);
        }
        if (a.error != null) {
            throw a.error;
        }
    }

    private record Attempt(VolumeIoException error, boolean notFound) {}

    private Attempt attempt(ChunkEntry e, int offset, ByteBuffer piece) {
        List<ReplicaRef> corrupt = new ArrayList<>();
        List<ReplicaIo.Outcome> failures = new ArrayList<>();
        boolean notFound = false;
        for (ReplicaRef r : order(e.replicas())) {
            ByteBuffer d = piece.duplicate();
            try {
                ctx.io.run(r, ops -> ops.read(e.chunk(), offset, d));
            } catch (ChecksumMismatchException x) {
                corrupt.add(r);
                failures.add(new ReplicaIo.Outcome(r, x));
                continue;
            } catch (RuntimeException x) {
                notFound |= x instanceof ChunkNotFoundException;
                failures.add(new ReplicaIo.Outcome(r, x));
                continue;
            }
            if (repair != null) {
                for (ReplicaRef bad : corrupt) {
                    repair.repair(e.index(), bad, blocks(offset, piece.remaining()));
                }
            }
            return new Attempt(null, false);
        }
        return new Attempt(Failures.allFailed("read", ctx.volumeId, e.index(), failures), notFound);
    }

    /** Local replicas first, the rest starting at a rotating position. */
    private List<ReplicaRef> order(List<ReplicaRef> replicas) {
        int n = replicas.size();
        int start = n == 0 ? 0 : Math.floorMod(rotation.getAndIncrement(), n);
        List<ReplicaRef> local = new ArrayList<>();
        List<ReplicaRef> remote = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReplicaRef r = replicas.get((start + i) % n);
            (ctx.io.isLocal(r) ? local : remote).add(r);
        }
        local.addAll(remote);
        return local;
    }

    /** The 4 KiB blocks a byte range touches. */
    static List<Integer> blocks(long offset, long length) {
        List<Integer> out = new ArrayList<>();
        for (long b = offset / BLOCK; b * BLOCK < offset + length; b++) {
            out.add((int) b);
        }
        return out;
    }

    private static void zero(ByteBuffer piece) {
        if (piece.hasArray()) {
            Arrays.fill(piece.array(), piece.arrayOffset() + piece.position(),
                    piece.arrayOffset() + piece.limit(), (byte) 0);
            piece.position(piece.limit());
            return;
        }
        while (piece.remaining() >= Long.BYTES) {
            piece.putLong(0L);
        }
        while (piece.hasRemaining()) {
            piece.put((byte) 0);
        }
    }
}
