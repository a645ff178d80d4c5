package io.keel.storage.volume;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread-safe token bucket in bytes shared by every rebuild of one client, so many repairs at
 * once still add up to the configured rate. It may go into debt: a piece is copied, then paid
 * for by waiting, which keeps pieces large and the average honest.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    /** @param bytesPerSecond 0 for unlimited */
    RateLimiter(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        // A tenth of a second of burst: enough to not stall small repairs, too little to matter.
        this.capacity = bytesPerSecond / 10.0;
        this.tokens = capacity;
        this.lastNanos = System.nanoTime();
    }

    /** Pays for {@code bytes}, waiting while the bucket is in debt. */
    void acquire(long bytes) {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (double) (now - lastNanos) * bytesPerSecond / NANOS_PER_SECOND);
            lastNanos = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
        }
        long deadline = System.nanoTime() + waitNanos;
        for (long left = waitNanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
