package io.keel.block.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-connection pool of direct buffers in power-of-two size classes. Direct, because socket and
 * file channels copy heap buffers into a temporary direct one first; pooled, because allocating
 * direct memory is slow and is only returned by the garbage collector. What the pool keeps is capped;
 * what is in use is capped by the connection's in-flight budget, so memory per connection is bounded
 * whatever the client sends.
 */
final class BufferPool {
    private static final int MIN_SHIFT = 12;

    private final List<ArrayDeque<ByteBuffer>> free;
    private final long maxRetained;
    private long retained;
    private long outstanding;
    private long peakOutstanding;

    BufferPool(int maxBufferSize, long maxRetained) {
        int classes = classOf(maxBufferSize) + 1;
        this.free = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            free.add(new ArrayDeque<>());
        }
        this.maxRetained = maxRetained;
    }

    /** A buffer with position 0 and limit {@code length}; contents are whatever was there before. */
    synchronized ByteBuffer acquire(int length) {
        int cls = classOf(length);
        ByteBuffer b = free.get(cls).pollFirst();
        if (b == null) {
            b = ByteBuffer.allocateDirect(1 << (cls + MIN_SHIFT));
        } else {
            retained -= b.capacity();
        }
        outstanding += b.capacity();
        peakOutstanding = Math.max(peakOutstanding, outstanding);
        return b.clear().limit(length);
    }

    synchronized void release(ByteBuffer b) {
        outstanding -= b.capacity();
        if (retained + b.capacity() > maxRetained) {
            return;
        }
        free.get(classOf(b.capacity())).addFirst(b);
        retained += b.capacity();
    }

    /** The most buffer capacity ever handed out at once; lets tests check memory stays bounded. */
    synchronized long peakOutstandingBytes() {
        return peakOutstanding;
    }

    private static int classOf(int length) {
        int size = Math.max(length, 1 << MIN_SHIFT);
        return 32 - Integer.numberOfLeadingZeros(size - 1) - MIN_SHIFT;
    }
}
