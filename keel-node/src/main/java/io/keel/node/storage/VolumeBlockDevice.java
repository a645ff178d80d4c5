package io.keel.node.storage;

import io.keel.block.BlockDevice;
import io.keel.block.BlockIoException;
import io.keel.storage.volume.LeaseLostException;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import io.keel.storage.volume.VolumeIoException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A volume as a block device for the export protocols. Several devices may share one writable
 * handle (NBD multi-connection); closing a device gives back its share, not the handle.
 */
final class VolumeBlockDevice implements BlockDevice {
    static final int BLOCK_SIZE = 4096;

    private final VolumeHandle volume;
    private final boolean readOnly;
    private final long size;
    private final Runnable onClose;
    private final IoMeters meters;
    private final AtomicBoolean closed = new AtomicBoolean();

    VolumeBlockDevice(VolumeHandle volume, boolean readOnly, IoMeters meters, Runnable onClose) {
        this.volume = Objects.requireNonNull(volume, "volume");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.readOnly = readOnly;
        this.size = volume.size();
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return BLOCK_SIZE;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** Every device of a volume on this node shares one handle, so one flush covers them all. */
    @Override
    public boolean multiConnSafe() {
        return true;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws BlockIoException {
        long t0 = System.nanoTime();
        int n = dst.remaining();
        try {
            volume.read(offset, dst);
            meters.record(IoMeters.Op.READ, t0, n);
        } catch (VolumeException e) {
            throw map(e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        checkWritable();
        long t0 = System.nanoTime();
        int n = src.remaining();
        try {
            volume.write(offset, src, fua);
            meters.record(IoMeters.Op.WRITE, t0, n);
        } catch (VolumeException e) {
            throw map(e);
        }
    }

    @Override
    public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src) throws BlockIoException {
        return writeAsync(offset, src, false);
    }

    @Override
    public void sendHeld() {
        volume.sendHeld();
    }

    @Override
    public CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold) throws BlockIoException {
        checkWritable();
        long t0 = System.nanoTime();
        int n = src.remaining();
        CompletableFuture<Void> started;
        try {
            started = volume.writeAsync(offset, src, hold);
        } catch (VolumeException e) {
            throw map(e);
        }
        if (started == null) {
            return null;
        }
        return started.handle((v, failure) -> {
            if (failure == null) {
                meters.record(IoMeters.Op.WRITE, t0, n);
                return null;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            throw new CompletionException(cause instanceof VolumeException e ? map(e) : cause);
        });
    }

    @Override
    public void flush() throws BlockIoException {
        if (readOnly) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            volume.flush();
            meters.record(IoMeters.Op.FLUSH, t0, 0);
        } catch (VolumeException e) {
            throw map(e);
        }
    }

    @Override
    public void trim(long offset, long length) throws BlockIoException {
        writeZeroes(offset, length, false);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        checkWritable();
        long t0 = System.nanoTime();
        try {
            volume.writeZeroes(offset, length, fua);
            meters.record(IoMeters.Op.ZERO, t0, length);
        } catch (VolumeException e) {
            throw map(e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    private void checkWritable() throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(BlockIoException.Kind.EPERM, "volume " + volume.volumeId() + " is open read-only");
        }
    }

    static BlockIoException map(VolumeException e) {
        BlockIoException.Kind kind = switch (e) {
            case VolumeIoException io -> switch (io.kind()) {
                case EIO -> BlockIoException.Kind.EIO;
                case ENOSPC -> BlockIoException.Kind.ENOSPC;
                case EROFS -> BlockIoException.Kind.EPERM;
                case EINVAL -> BlockIoException.Kind.EINVAL;
            };
            case LeaseLostException lost -> BlockIoException.Kind.EPERM;
            default -> BlockIoException.Kind.EIO;
        };
        return new BlockIoException(kind, e.getMessage(), e);
    }
}
