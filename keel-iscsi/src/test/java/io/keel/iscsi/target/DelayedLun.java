package io.keel.iscsi.target;

import io.keel.block.BlockIoException;
import io.keel.iscsi.scsi.LunBackend;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Test aid: a backend that adds a fixed latency to every I/O, as a volume over the network has and
 * a file in the page cache hides; it shows whether commands of one session overlap.
 */
final class DelayedLun implements LunBackend {
    private final LunBackend inner;
    private final long nanos;

    DelayedLun(LunBackend inner, long micros) {
        this.inner = inner;
        this.nanos = micros * 1000;
    }

    private void pause() {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    @Override
    public String uniqueId() {
        return inner.uniqueId();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws BlockIoException {
        pause();
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        pause();
        inner.write(offset, src, fua);
    }

    @Override
    public void flush() throws BlockIoException {
        pause();
        inner.flush();
    }

    @Override
    public void unmap(long offset, long length) throws BlockIoException {
        pause();
        inner.unmap(offset, length);
    }

    @Override
    public void close() throws BlockIoException {
        inner.close();
    }
}
