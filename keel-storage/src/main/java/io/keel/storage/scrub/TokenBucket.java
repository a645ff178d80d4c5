package io.keel.storage.scrub;

/**
 * A token bucket in bytes that may go into debt: a chunk is verified whole, however large, and
 * its bytes are paid for afterwards by waiting until the debt is repaid. The small capacity keeps
 * the average rate honest over short passes too. Not thread-safe; one per scrubber thread.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(long bytesPerSecond, long capacity, long nowNanos) {
        if (bytesPerSecond <= 0 || capacity < 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond + ", capacity " + capacity);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Spends {@code bytes}; returns how long to wait before spending more (0 if not in debt). */
    long take(long bytes, long nowNanos) {
        tokens = Math.min(capacity, tokens + (double) (nowNanos - lastNanos) * bytesPerSecond / NANOS_PER_SECOND);
        lastNanos = nowNanos;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }
}
