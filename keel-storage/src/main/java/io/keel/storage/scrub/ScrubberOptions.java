package io.keel.storage.scrub;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast and how often a {@link Scrubber} runs.
 *
 * @param bytesPerSecond allocated chunk bytes verified per second, averaged over a pass; it keeps
 *                       scrubbing from competing with client I/O for the disk
 * @param interval       pause between the end of one pass and the start of the next
 */
public record ScrubberOptions(long bytesPerSecond, Duration interval) {
    /** 64 MiB/s: a full 10 TB disk takes about two days. */
    public static final long DEFAULT_BYTES_PER_SECOND = 64L << 20;
    public static final Duration DEFAULT_INTERVAL = Duration.ofDays(7);
    /** Keeps the interval well inside what a wait in nanoseconds can hold. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(3650);

    public ScrubberOptions {
        Objects.requireNonNull(interval, "interval");
        if (bytesPerSecond < 4096) {
            throw new IllegalArgumentException("bytesPerSecond must be at least 4096: " + bytesPerSecond);
        }
        if (interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval must be between 0 and " + MAX_INTERVAL + ": " + interval);
        }
    }

    public static ScrubberOptions defaults() {
        return new ScrubberOptions(DEFAULT_BYTES_PER_SECOND, DEFAULT_INTERVAL);
    }

    public ScrubberOptions withBytesPerSecond(long rate) {
        return new ScrubberOptions(rate, interval);
    }

    public ScrubberOptions withInterval(Duration pause) {
        return new ScrubberOptions(bytesPerSecond, pause);
    }
}
