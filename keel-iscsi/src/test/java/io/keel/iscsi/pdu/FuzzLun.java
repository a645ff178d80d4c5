package io.keel.iscsi.pdu;

import io.keel.iscsi.scsi.LunBackend;
import java.nio.ByteBuffer;

/** 64 blocks of 512 bytes in memory, for the fuzz targets. */
final class FuzzLun implements LunBackend {
    private final byte[] bytes = new byte[64 * 512];

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public int blockSize() {
        return 512;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public String uniqueId() {
        return "fuzz";
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
        dst.put(bytes, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) {
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public void flush() {}

    @Override
    public synchronized void unmap(long offset, long length) {
        java.util.Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override
    public void close() {}
}
