package io.keel.iscsi.scsi;

import io.keel.block.BlockIoException;
import java.nio.ByteBuffer;

/** A LUN in a byte array, for unit tests. */
class MemoryLun implements LunBackend {
    final byte[] bytes;
    private final int blockSize;
    boolean readOnly;
    int flushes;

    MemoryLun(int blocks, int blockSize) {
        this.bytes = new byte[blocks * blockSize];
        this.blockSize = blockSize;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String uniqueId() {
        return "memory-lun";
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
        dst.put(bytes, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(BlockIoException.Kind.EPERM, "read-only");
        }
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public synchronized void unmap(long offset, long length) {
        java.util.Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override
    public void close() {}
}
