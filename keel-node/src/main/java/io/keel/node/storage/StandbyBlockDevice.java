package io.keel.node.storage;

import io.keel.block.BlockDevice;
import io.keel.block.BlockIoException;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A write open that does not take the volume's write lease yet (ADR 0019): the disks of a QEMU
 * waiting for a live migration. Reads are served from a lease-free handle; the first write, write
 * of zeroes or trim, or {@link #activate()} at the switch-over, takes the node's shared write
 * handle (waiting a bounded time while the source node lets go of the lease) and everything goes
 * through it from then on. A flush before that has nothing of this client's to make durable.
 */
final class StandbyBlockDevice implements BlockDevice {
    /** Takes (waiting, bounded) and gives back this node's shared write handle of the volume. */
    interface Leaser {
        VolumeHandle take() throws BlockIoException;

        void giveBack(VolumeHandle handle);
    }

    private final VolumeHandle readView;
    private final Leaser leaser;
    private final IoMeters meters;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile VolumeBlockDevice active;

    StandbyBlockDevice(VolumeHandle readView, Leaser leaser, IoMeters meters, Runnable onClose) {
        this.readView = Objects.requireNonNull(readView, "readView");
        this.leaser = Objects.requireNonNull(leaser, "leaser");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /** Takes the write lease now if it is not held yet (the switch-over); idempotent. */
    void activate() throws BlockIoException {
        device();
    }

    boolean active() {
        return active != null;
    }

    private VolumeBlockDevice device() throws BlockIoException {
        VolumeBlockDevice d = active;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (active == null) {
                if (closed.get()) {
                    throw new BlockIoException(BlockIoException.Kind.EIO, "volume " + readView.volumeId()
                            + " is closed");
                }
                VolumeHandle h = leaser.take();
                active = new VolumeBlockDevice(h, false, meters, () -> leaser.giveBack(h));
                readView.close();
            }
            return active;
        }
    }

    @Override
    public long size() {
        return readView.size();
    }

    @Override
    public int blockSize() {
        return VolumeBlockDevice.BLOCK_SIZE;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public boolean multiConnSafe() {
        return true;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws BlockIoException {
        VolumeBlockDevice d = active;
        if (d != null) {
            d.read(offset, dst);
            return;
        }
        int start = dst.position();
        try {
            readView.read(offset, dst);
        } catch (VolumeException e) {
            // Taken over meanwhile: the read view was closed under this read, which starts again.
            if (active != null) {
                dst.position(start);
                active.read(offset, dst);
                return;
            }
            throw VolumeBlockDevice.map(e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        device().write(offset, src, fua);
    }

    /** Only once active: taking the lease waits on the source node, which a request thread does. */
    @Override
    public java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src)
            throws BlockIoException {
        return writeAsync(offset, src, false);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold)
            throws BlockIoException {
        VolumeBlockDevice d = active;
        return d == null ? null : d.writeAsync(offset, src, hold);
    }

    @Override
    public void sendHeld() {
        VolumeBlockDevice d = active;
        if (d != null) {
            d.sendHeld();
        }
    }

    @Override
    public void flush() throws BlockIoException {
        VolumeBlockDevice d = active;
        if (d != null) {
            d.flush();
        }
    }

    @Override
    public void trim(long offset, long length) throws BlockIoException {
        device().trim(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        device().writeZeroes(offset, length, fua);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                if (active != null) {
                    active.close();
                } else {
                    readView.close();
                }
            }
            onClose.run();
        }
    }
}
