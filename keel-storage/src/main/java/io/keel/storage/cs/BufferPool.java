package io.keel.storage.cs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reusable direct buffers for frames and read payloads, so the data path neither allocates nor
 * zeroes a megabyte per request, and socket and file I/O use them without a bounce copy.
 *
 * <p>Size classes are powers of two from 4 KiB plus a frame header allowance, so a frame carrying
 * a 1 MiB payload takes a 1 MiB-class buffer rather than a 2 MiB one. At most
 * {@code maxRetainedBytes} are kept idle; beyond that, released buffers are left to the GC.
 */
final class BufferPool {
    private static final int MIN_SHIFT = 12;
    private static final int MAX_SHIFT = 30;
    private static final int SLACK = FrameCodec.PREFIX_BYTES + FrameCodec.HEADER_ALLOWANCE;

    private final List<ConcurrentLinkedDeque<ByteBuffer>> idle = new ArrayList<>();
    private final AtomicLong retainedBytes = new AtomicLong();
    private final long maxRetainedBytes;

    BufferPool(long maxRetainedBytes) {
        this.maxRetainedBytes = maxRetainedBytes;
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            idle.add(new ConcurrentLinkedDeque<>());
        }
    }

    /** A buffer with position 0 and limit {@code size}; contents are undefined. */
    ByteBuffer acquire(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        int cls = classFor(size);
        if (cls < 0) {
            return ByteBuffer.allocateDirect(size); // beyond any class: unpooled
        }
        ByteBuffer b = idle.get(cls).pollFirst();
        if (b != null) {
            retainedBytes.addAndGet(-b.capacity());
        } else {
            b = ByteBuffer.allocateDirect(capacity(cls));
        }
        return b.clear().limit(size);
    }

    /** Returns a buffer from {@link #acquire}; it must not be used afterwards. */
    void release(ByteBuffer b) {
        if (b == null) {
            return;
        }
        int cls = classFor(b.capacity());
        if (cls < 0 || capacity(cls) != b.capacity() || !b.isDirect()) {
            return;
        }
        if (retainedBytes.addAndGet(b.capacity()) > maxRetainedBytes) {
            retainedBytes.addAndGet(-b.capacity());
            return;
        }
        idle.get(cls).offerFirst(b); // LIFO: the most recently used buffer is likeliest cached
    }

    long retainedBytes() {
        return retainedBytes.get();
    }

    private static int capacity(int cls) {
        return (1 << (cls + MIN_SHIFT)) + SLACK;
    }

    private static int classFor(int size) {
        for (int cls = 0; cls <= MAX_SHIFT - MIN_SHIFT; cls++) {
            if (capacity(cls) >= size) {
                return cls;
            }
        }
        return -1;
    }
}
