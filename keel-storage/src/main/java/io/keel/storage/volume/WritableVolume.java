package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A volume opened under a write lease. */
final class WritableVolume implements VolumeHandle {
    private static final Logger log = LoggerFactory.getLogger(WritableVolume.class);

    private final VolumeContext ctx;
    private final LeaseKeeper lease;
    private final ChunkWriter writer;
    private final Repairer repairer;
    private final ReadPath reads;
    private final Consumer<VolumeHandle> onClose;
    private volatile boolean closed;
    /**
     * Volume-wide: every change of data (write, zeroing, repair) holds the read side, so they still
     * run in parallel; {@link #quiesce} holds the write side to let in-flight changes finish and
     * keep new ones out while a snapshot is taken.
     */
    private final ReentrantReadWriteLock changes = new ReentrantReadWriteLock();
    /**
     * Set while the cached layout may predate a snapshot: writing with it would change chunks the
     * snapshot now shares, so every change reloads first until a reload succeeded.
     */
    private volatile boolean layoutStale;

    WritableVolume(VolumeContext ctx, LeaseKeeper lease, Consumer<VolumeHandle> onClose) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        ReplicaChanges changes = new ReplicaChanges(ctx, lease);
        this.writer = new ChunkWriter(ctx, lease, changes);
        this.repairer = new Repairer(ctx, lease, changes, writer);
        this.reads = new ReadPath(ctx, repairer, false);
    }

    /** Fences older writers off every chunk; the handle takes no I/O before this returned. */
    void fenceOnOpen() {
        repairer.fenceAll();
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
        return true;
    }

    @Override
    public long epoch() {
        return lease.epoch();
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        checkOpen();
        reads.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Lock held = startChange();
        try {
            ctx.checkRange(offset, src.remaining());
            int chunkSize = ctx.chunkSize();
            long pos = offset;
            while (src.hasRemaining()) {
                long index = pos / chunkSize;
                int inChunk = (int) (pos % chunkSize);
                int n = Math.min(src.remaining(), chunkSize - inChunk);
                writer.write(index, inChunk, src.slice(src.position(), n), fua);
                src.position(src.position() + n);
                pos += n;
            }
        } finally {
            held.unlock();
        }
        ctx.stats.wrote();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        checkOpen();
        Lock held = startChange();
        try {
            ctx.checkRange(offset, length);
            int chunkSize = ctx.chunkSize();
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                long index = pos / chunkSize;
                int inChunk = (int) (pos % chunkSize);
                int n = (int) Math.min(end - pos, chunkSize - inChunk);
                writer.trim(index, inChunk, n);
                pos += n;
            }
            if (fua) {
                writer.flush();
            }
        } finally {
            held.unlock();
        }
        ctx.stats.wrote();
    }

    @Override
    public void flush() {
        checkOpen();
        writer.flush();
    }

    @Override
    public void refresh() {
        checkOpen();
        ctx.reload();
    }

    @Override
    public RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        checkOpen();
        Lock held = startChange();
        try {
            return repairer.repair(index, remove, add);
        } finally {
            held.unlock();
        }
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        checkOpen();
        Lock held = startChange();
        try {
            repairer.repairBlocks(index, replica, blocks);
        } finally {
            held.unlock();
        }
    }

    @Override
    public <T> T quiesce(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        checkOpen();
        Lock exclusive = changes.writeLock();
        exclusive.lock();
        try {
            checkOpen();
            writer.flush();
            layoutStale = true;
            T result;
            try {
                result = action.get();
            } catch (RuntimeException | Error e) {
                reloadAfterQuiesce(e);
                throw e;
            }
            reloadAfterQuiesce(null);
            return result;
        } finally {
            exclusive.unlock();
        }
    }

    /** Reloads the layout after a snapshot attempt; a failure leaves it stale for the next change to retry. */
    private void reloadAfterQuiesce(Throwable pending) {
        try {
            ctx.reload();
            layoutStale = false;
        } catch (RuntimeException e) {
            log.warn("volume {}: reloading the layout after a snapshot failed, writes will retry it: {}",
                    ctx.volumeId, e.toString());
            // The snapshot may well exist: its result still goes back, and layoutStale keeps writes safe.
            if (pending != null) {
                pending.addSuppressed(e);
            }
        }
    }

    /** Takes the read side of the change lock, reloading a layout a snapshot left stale first. */
    private Lock startChange() {
        Lock shared = changes.readLock();
        shared.lock();
        try {
            if (layoutStale) {
                ctx.reload();
                layoutStale = false;
            }
        } catch (RuntimeException e) {
            shared.unlock();
            throw e;
        }
        return shared;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean fenced() {
        return lease.fenced();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (!lease.fenced()) {
                writer.flush();
            }
        } catch (RuntimeException e) {
            log.warn("volume {}: flush on close failed: {}", ctx.volumeId, e.toString());
        } finally {
            lease.release();
            onClose.accept(this);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "volume " + ctx.volumeId + " is closed");
        }
    }
}
