package io.keel.iscsi.session;

import io.keel.iscsi.scsi.LunBackend;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory LUN whose reads and writes wait at a gate the test opens, counting how many are inside
 * at once and logging what completed in which order.
 */
final class GatedLun implements LunBackend {
    private final byte[] bytes;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();
    final List<String> events = new CopyOnWriteArrayList<>();

    GatedLun(int blocks) {
        this.bytes = new byte[blocks * 512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i / 512); // each block holds its number (mod 256)
        }
    }

    /** From now on, I/O waits until {@link #open} is called. */
    void close(boolean closed) {
        gate = new CountDownLatch(closed ? 1 : 0);
    }

    void open() {
        gate.countDown();
    }

    private void pass() {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inside.decrementAndGet();
        }
    }

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
        return "gated";
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        pass();
        synchronized (bytes) {
            dst.put(bytes, (int) offset, dst.remaining());
        }
        events.add("read " + offset / 512);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) {
        pass();
        synchronized (bytes) {
            src.get(bytes, (int) offset, src.remaining());
        }
        events.add("write " + offset / 512);
    }

    @Override
    public void flush() {
        events.add("flush");
    }

    @Override
    public void unmap(long offset, long length) {
        synchronized (bytes) {
            java.util.Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        }
    }

    @Override
    public void close() {}
}
