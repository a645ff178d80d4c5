package io.keel.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers for the data of reads, kept for reuse. A read lands in direct memory and goes to
 * the socket from there: with a heap array the JDK copies through a direct buffer of its own on
 * the way in and again on the way out, and a new array is zeroed first; for 1 MiB reads those
 * three passes cost a quarter of the target's CPU. Buffers come in powers of two from 4 KiB; at
 * most {@link #KEEP_BYTES} are kept idle, the rest are left to the garbage collector.
 */
final class ReadBuffers {
    static final long KEEP_BYTES = 16L << 20;
    private static final int SMALLEST_SHIFT = 12;
    private static final int CLASSES = 31 - SMALLEST_SHIFT;

    private final ConcurrentLinkedDeque<ByteBuffer>[] free;
    private final AtomicLong kept = new AtomicLong();

    @SuppressWarnings("unchecked")
    ReadBuffers() {
        free = new ConcurrentLinkedDeque[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ConcurrentLinkedDeque<>();
        }
    }

    /** A buffer with exactly {@code length} bytes remaining, contents undefined. */
    ByteBuffer take(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        int c = sizeClass(length);
        ByteBuffer b = free[c].pollFirst();
        if (b == null) {
            b = ByteBuffer.allocateDirect(1 << (c + SMALLEST_SHIFT));
        } else {
            kept.addAndGet(-b.capacity());
        }
        return b.clear().limit(length);
    }

    /** Gives back a buffer from {@link #take}; it must not be used afterwards. */
    void give(ByteBuffer b) {
        int c = sizeClass(b.capacity());
        if (b.capacity() != 1 << (c + SMALLEST_SHIFT) || !b.isDirect()) {
            throw new IllegalArgumentException("not a buffer of this pool: " + b);
        }
        if (kept.addAndGet(b.capacity()) > KEEP_BYTES) {
            kept.addAndGet(-b.capacity());
            return;
        }
        free[c].offerFirst(b);
    }

    /** Bytes kept idle now, for tests. */
    long kept() {
        return kept.get();
    }

    private static int sizeClass(int length) {
        int shift = Math.max(SMALLEST_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(length, 1) - 1));
        if (shift - SMALLEST_SHIFT >= CLASSES) {
            throw new IllegalArgumentException("read buffer of " + length + " bytes is above the largest");
        }
        return shift - SMALLEST_SHIFT;
    }
}
