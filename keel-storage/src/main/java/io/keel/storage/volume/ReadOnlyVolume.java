package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** A volume opened without a lease: reads only, following the writer's layout changes lazily. */
final class ReadOnlyVolume implements VolumeHandle {
    private final VolumeContext ctx;
    private final ReadPath reads;
    private final Consumer<VolumeHandle> onClose;
    private volatile boolean closed;

    ReadOnlyVolume(VolumeContext ctx, Consumer<VolumeHandle> onClose) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        this.reads = new ReadPath(ctx, null, true);
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
        return false;
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        checkOpen();
        reads.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        throw readOnly("write");
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) {
        throw readOnly("write zeroes");
    }

    @Override
    public void flush() {
        checkOpen();
    }

    @Override
    public void refresh() {
        checkOpen();
        ctx.reload();
    }

    @Override
    public RepairOutcome repair(long index, List<ReplicaRef> remove, int add) {
        throw readOnly("repair");
    }

    @Override
    public void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks) {
        throw readOnly("repair blocks");
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
        }
    }

    private VolumeIoException readOnly(String what) {
        return new VolumeIoException(VolumeIoException.Kind.EROFS, "cannot " + what + ": volume " + ctx.volumeId
                + " is open read-only");
    }

    private void checkOpen() {
        if (closed) {
            throw new VolumeIoException(VolumeIoException.Kind.EIO, "volume " + ctx.volumeId + " is closed");
        }
    }
}
