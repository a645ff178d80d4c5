package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
     * keep new ones out while a snapshot is taken. Owned by no thread: a write started by
     * {@link #writeAsync} gives its read hold back on the thread that completes it. Not
     * reentrant: nothing that holds it takes it again.
     */
    private final OwnerlessLock changes = new OwnerlessLock();
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
        startChange(false);
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
            changes.unlockShared();
        }
        ctx.stats.wrote();
    }

    /**
     * A write that stays inside one chunk, without FUA, started here and completed on whichever
     * thread sees the last replica answer (see {@link ChunkWriter#writeAsync}). Anything else
     * returns null and goes through {@link #write}.
     */
    @Override
    public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src) {
        return writeAsync(offset, src, false);
    }

    @Override
    public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        ctx.checkRange(offset, src.remaining());
        int chunkSize = ctx.chunkSize();
        long index = offset / chunkSize;
        int inChunk = (int) (offset % chunkSize);
        if (src.remaining() > chunkSize - inChunk) {
            return null;
        }
        boolean taken = changes.tryLockShared();
        if (!taken && hold) {
            // A snapshot waits for the writes in flight, whose requests may still be queued.
            ctx.io.sendHeld();
        }
        startChange(taken);
        CompletableFuture<Void> started;
        try {
            started = writer.writeAsync(index, inChunk, src.slice(), hold);
        } catch (RuntimeException e) {
            changes.unlockShared();
            throw e;
        }
        return started.whenComplete((v, failure) -> {
            changes.unlockShared();
            if (failure == null) {
                ctx.stats.wrote();
            }
        });
    }

    @Override
    public void sendHeld() {
        ctx.io.sendHeld();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        checkOpen();
        startChange(false);
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
            changes.unlockShared();
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
        startChange(false);
        try {
            return repairer.repair(index, remove, add);
        } finally {
            changes.unlockShared();
        }
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        checkOpen();
        startChange(false);
        try {
            repairer.repairBlocks(index, replica, blocks);
        } finally {
            changes.unlockShared();
        }
    }

    @Override
    public <T> T quiesce(Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        checkOpen();
        changes.exclusive().lock();
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
            changes.exclusive().unlock();
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

    /**
     * Takes the read side of the change lock (unless {@code taken} already), reloading a layout a
     * snapshot left stale first.
     */
    private void startChange(boolean taken) {
        if (!taken) {
            changes.lockShared();
        }
        try {
            if (layoutStale) {
                ctx.reload();
                layoutStale = false;
            }
        } catch (RuntimeException e) {
            changes.unlockShared();
            throw e;
        }
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
