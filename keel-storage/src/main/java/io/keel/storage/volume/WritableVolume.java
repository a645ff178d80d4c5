package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
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
        ctx.stats.wrote();
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        checkOpen();
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
        return repairer.repair(index, remove, add);
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        checkOpen();
        repairer.repairBlocks(index, replica, blocks);
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
