package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An erasure-coded volume, open read-only or under a write lease. Requests are cut at chunk
 * boundaries; each chunk's stripes are handled by {@link EcChunkIo} (reads), {@link EcWriter}
 * (changes) and {@link EcRepair} (fencing and healing). Writes to a chunk run one at a time (a
 * row's parity depends on all of its units), reads of a writable handle wait for them.
 */
final class EcVolume implements VolumeHandle {
    private static final Logger log = LoggerFactory.getLogger(EcVolume.class);
    /**
     * How long a chunk must go without changes before its dirty mark is cleared: long enough that
     * a busy chunk costs no metadata commits, short enough that a dead writer leaves few dirty.
     */
    static final java.time.Duration DIRTY_IDLE = java.time.Duration.ofSeconds(5);
    private static final long IDLE_CHECK_MS = 2_000;
    /**
     * Chunk reads and writes one handle runs at once. Each fans out to several fragments, and a
     * degraded read to M of them, so the chunk clients' direct buffers for a client's full queue
     * (NBD allows hundreds of requests in flight) could exceed a node's direct memory; past this
     * many, requests wait their turn.
     */
    static final int MAX_CHUNK_IO = 32;

    private final VolumeContext ctx;
    private final EcChunkIo io;
    /** Null, like {@link #writer} and {@link #repairer}, for a read-only handle. */
    private final LeaseKeeper lease;
    private final EcWriter writer;
    private final EcRepair repairer;
    private final Consumer<VolumeHandle> onClose;
    private final AtomicBoolean clearing = new AtomicBoolean();
    private final java.util.concurrent.Semaphore chunkIo = new java.util.concurrent.Semaphore(MAX_CHUNK_IO);
    private volatile ScheduledFuture<?> idleChecks;
    private volatile boolean closed;

    private EcVolume(VolumeContext ctx, LeaseKeeper lease, Consumer<VolumeHandle> onClose) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        this.lease = lease;
        this.io = new EcChunkIo(ctx, lease);
        EcResync resync = lease == null ? null : new EcResync(ctx, io, lease);
        this.writer = lease == null ? null : new EcWriter(ctx, io, lease, resync);
        this.repairer = lease == null ? null : new EcRepair(ctx, io, lease, writer, resync);
    }

    static EcVolume readOnly(VolumeContext ctx, Consumer<VolumeHandle> onClose) {
        return new EcVolume(ctx, null, onClose);
    }

    static EcVolume leased(VolumeContext ctx, LeaseKeeper lease, Consumer<VolumeHandle> onClose) {
        return new EcVolume(ctx, Objects.requireNonNull(lease, "lease"), onClose);
    }

    /**
     * Readies a leased handle before its first request: a foreground writer fences every chunk and
     * recomputes the parity of chunks a dead writer left dirty; a background one leaves both to
     * each repair.
     */
    void openLeased(boolean background) {
        repairer.open(!background);
    }

    /**
     * Clears the dirty marks of chunks idle for {@link #DIRTY_IDLE}, checked every 2 s by {@code
     * timer} and done on {@code work} (a flush and metadata commits must not hold up the timer's
     * lease renewals).
     */
    void clearIdleMarks(ScheduledExecutorService timer, Executor work) {
        idleChecks = timer.scheduleWithFixedDelay(() -> {
            if (clearing.compareAndSet(false, true)) {
                work.execute(this::clearIdleNow);
            }
        }, IDLE_CHECK_MS, IDLE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void clearIdleNow() {
        try {
            if (!closed && !lease.fenced()) {
                writer.clearIdle(DIRTY_IDLE);
            }
        } catch (RuntimeException e) {
            log.debug("volume {}: idle dirty marks not cleared this time: {}", ctx.volumeId, e.toString());
        } finally {
            clearing.set(false);
        }
    }

    @Override
    public String volumeId() {
        return ctx.volumeId;
    }

    @Override
    public long size() {
        return ctx.size();
    }

    @Override
    public int chunkSize() {
        return ctx.chunkSize();
    }

    @Override
    public boolean writable() {
        return lease != null;
    }

    @Override
    public long epoch() {
        return lease == null ? 0 : lease.epoch();
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        ctx.checkRange(offset, dst.remaining());
        int chunkSize = ctx.chunkSize();
        long pos = offset;
        while (dst.hasRemaining()) {
            long index = pos / chunkSize;
            int inChunk = (int) (pos % chunkSize);
            int n = Math.min(dst.remaining(), chunkSize - inChunk);
            readChunk(index, inChunk, dst.slice(dst.position(), n));
            dst.position(dst.position() + n);
            pos += n;
        }
        ctx.stats.read();
    }

    private void readChunk(long index, int offset, ByteBuffer piece) {
        chunkIo.acquireUninterruptibly();
        try {
            readChunkNow(index, offset, piece);
        } catch (VolumeIoException e) {
            // A block client only sees an errno: the node log says why.
            log.warn("volume {}: read of chunk {} at {}+{} failed: {}", ctx.volumeId, index, offset,
                    piece.remaining(), e.getMessage());
            throw e;
        } finally {
            chunkIo.release();
        }
    }

    private void readChunkNow(long index, int offset, ByteBuffer piece) {
        if (writer == null) {
            readUnlocked(index, offset, piece);
            return;
        }
        // Shared with other reads, never with this handle's own write of the chunk: a rebuilt row
        // must not mix fragments from before and after a write.
        Lock shared = ctx.locks.shared(index);
        shared.lock();
        try {
            ChunkEntry e = ctx.entry(index);
            if (e == null) {
                zero(piece);
            } else {
                io.read(e, offset, piece, writer::refusal);
            }
        } finally {
            shared.unlock();
        }
    }

    /**
     * A reader without a lease follows the writer lazily: on a failure it reloads the entry once
     * (a fragment may have moved), and it refuses to rebuild a chunk the catalog says is dirty,
     * since a writer may be between the fragment writes of a stripe.
     */
    private void readUnlocked(long index, int offset, ByteBuffer piece) {
        ChunkEntry e = ctx.entry(index);
        EcChunkIo.Refusal torn = x -> {
            ChunkEntry fresh = ctx.reloadEntry(index);
            return fresh != null && fresh.dirty() ? "it is marked dirty: its writer may be or have stopped in the "
                    + "middle of a stripe, so parity may not match the data" : null;
        };
        if (e == null) {
            zero(piece);
            return;
        }
        try {
            io.read(e, offset, piece.duplicate(), torn);
        } catch (VolumeIoException x) {
            ChunkEntry fresh = ctx.reloadEntry(index);
            if (fresh == null || fresh.equals(e)) {
                throw x;
            }
            io.read(fresh, offset, piece.duplicate(), torn);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        Objects.requireNonNull(src, "src");
        EcWriter w = changing("write");
        ctx.checkRange(offset, src.remaining());
        int chunkSize = ctx.chunkSize();
        long pos = offset;
        while (src.hasRemaining()) {
            long index = pos / chunkSize;
            int inChunk = (int) (pos % chunkSize);
            int n = Math.min(src.remaining(), chunkSize - inChunk);
            chunkIo.acquireUninterruptibly();
            try {
                w.write(index, inChunk, src.slice(src.position(), n), fua);
            } finally {
                chunkIo.release();
            }
            src.position(src.position() + n);
            pos += n;
        }
        ctx.stats.wrote();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        EcWriter w = changing("write zeroes");
        ctx.checkRange(offset, length);
        int chunkSize = ctx.chunkSize();
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            long index = pos / chunkSize;
            int inChunk = (int) (pos % chunkSize);
            int n = (int) Math.min(end - pos, chunkSize - inChunk);
            w.zero(index, inChunk, n);
            pos += n;
        }
        if (fua) {
            w.flush();
        }
        ctx.stats.wrote();
    }

    @Override
    public void flush() {
        checkOpen();
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public void refresh() {
        checkOpen();
        ctx.reload();
    }

    @Override
    public RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        changing("repair");
        return repairer.repair(index, remove, add);
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        changing("repair blocks");
        repairer.repairBlocks(index, replica, blocks);
    }

    @Override
    public <T> T quiesce(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        changing("take a snapshot of");
        throw new VolumeIoException(VolumeIoException.Kind.EINVAL, "snapshots of erasure-coded volumes are not "
                + "supported yet (volume " + ctx.volumeId + ", " + io.shape + ")");
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean fenced() {
        return lease != null && lease.fenced();
    }

    /** Flushes, clears the dirty marks of the chunks this handle changed, then gives the lease back. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (lease == null) {
            onClose.accept(this);
            return;
        }
        ScheduledFuture<?> checks = idleChecks;
        if (checks != null) {
            checks.cancel(false);
        }
        try {
            if (!lease.fenced()) {
                writer.flush();
                // Only once every change is durable may parity be trusted again.
                writer.clearMarks();
            }
        } catch (RuntimeException e) {
            log.warn("volume {}: flush on close failed, its changed chunks stay dirty: {}", ctx.volumeId,
                    e.toString());
        } finally {
            lease.release();
            onClose.accept(this);
        }
    }

    /** The writer, for a request that changes the volume; read-only handles refuse with EROFS. */
    private EcWriter changing(String what) {
        checkOpen();
        if (writer == null) {
            throw new VolumeIoException(VolumeIoException.Kind.EROFS, "cannot " + what + " volume " + ctx.volumeId
                    + ": it is open read-only");
        }
        return writer;
    }

    private void checkOpen() {
        if (closed) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "volume " + ctx.volumeId + " is closed");
        }
    }

    private static void zero(ByteBuffer piece) {
        if (piece.hasArray()) {
            Arrays.fill(piece.array(), piece.arrayOffset() + piece.position(), piece.arrayOffset() + piece.limit(),
                    (byte) 0);
        } else {
            while (piece.hasRemaining()) {
                piece.put((byte) 0);
            }
        }
        piece.position(piece.limit());
    }
}
