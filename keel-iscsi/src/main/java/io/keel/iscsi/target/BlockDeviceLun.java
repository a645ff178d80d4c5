package io.keel.iscsi.target;

import io.keel.block.BlockDevice;
import io.keel.block.BlockIoException;
import io.keel.iscsi.scsi.LunBackend;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A LUN over a Keel {@link BlockDevice}: the same handle the NBD server serves, so a volume (or,
 * in tests, a {@link io.keel.block.FileBlockDevice}) exports unchanged. The LUN's capacity is the
 * device size rounded down to whole logical blocks.
 */
public final class BlockDeviceLun implements LunBackend {
    private final BlockDevice device;
    private final String uniqueId;
    private final int blockSize;

    /** @param blockSize the logical block size presented to initiators: 512 or 4096 */
    public BlockDeviceLun(BlockDevice device, String uniqueId, int blockSize) {
        this.device = Objects.requireNonNull(device, "device");
        this.uniqueId = Objects.requireNonNull(uniqueId, "uniqueId");
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("logical block size must be 512 or 4096, not " + blockSize);
        }
        this.blockSize = blockSize;
        if (size() == 0) {
            throw new IllegalArgumentException("device smaller than one block: " + device.size());
        }
    }

    /** Follows the device, so an extended volume shows its new size once the LUN is resized. */
    @Override
    public long size() {
        return device.size() / blockSize * blockSize;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public boolean readOnly() {
        return device.readOnly();
    }

    @Override
    public String uniqueId() {
        return uniqueId;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws BlockIoException {
        device.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        device.write(offset, src, fua);
    }

    @Override
    public void flush() throws BlockIoException {
        device.flush();
    }

    /** writeZeroes, not trim: we report LBPRZ, so an unmapped block must read back as zeroes. */
    @Override
    public void unmap(long offset, long length) throws BlockIoException {
        device.writeZeroes(offset, length, false);
    }

    @Override
    public void close() throws BlockIoException {
        device.close();
    }
}
