package io.keel.storage.volume;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link VolumeClient} behaves.
 *
 * @param leaseTtl              how long a write lease lasts without renewal
 * @param renewInterval         how often the lease is renewed; a third of the ttl leaves two
 *                              chances to renew before it runs out
 * @param rebuildBytesPerSecond rate at which {@link VolumeHandle#repair} copies data, shared by
 *                              all volumes of the client so healing cannot starve foreground I/O;
 *                              0 means unlimited
 * @param ioTimeout             how long one replica may take for one operation before it counts
 *                              as failed
 */
public record VolumeClientOptions(Duration leaseTtl, Duration renewInterval, long rebuildBytesPerSecond,
        Duration ioTimeout) {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final long DEFAULT_REBUILD_BYTES_PER_SECOND = 200L << 20;
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(30);

    public VolumeClientOptions {
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        if (leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("leaseTtl must be positive: " + leaseTtl);
        }
        if (renewInterval.isNegative() || renewInterval.isZero() || renewInterval.compareTo(leaseTtl) >= 0) {
            throw new IllegalArgumentException("renewInterval must be positive and below the ttl: " + renewInterval);
        }
        if (rebuildBytesPerSecond < 0) {
            throw new IllegalArgumentException("rebuildBytesPerSecond must be >= 0: " + rebuildBytesPerSecond);
        }
        if (ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("ioTimeout must be positive: " + ioTimeout);
        }
    }

    /** 30 s leases renewed every 10 s, rebuilds at 200 MiB/s, 30 s per replica operation. */
    public static VolumeClientOptions defaults() {
        return withLeaseTtl(DEFAULT_LEASE_TTL, DEFAULT_REBUILD_BYTES_PER_SECOND, DEFAULT_IO_TIMEOUT);
    }

    private static VolumeClientOptions withLeaseTtl(Duration ttl, long rate, Duration io) {
        return new VolumeClientOptions(ttl, ttl.dividedBy(3), rate, io);
    }

    /** The same options with another lease time, renewed every third of it. */
    public VolumeClientOptions withLeaseTtl(Duration ttl) {
        return withLeaseTtl(ttl, rebuildBytesPerSecond, ioTimeout);
    }

    public VolumeClientOptions withRebuildBytesPerSecond(long bytesPerSecond) {
        return new VolumeClientOptions(leaseTtl, renewInterval, bytesPerSecond, ioTimeout);
    }

    public VolumeClientOptions withIoTimeout(Duration timeout) {
        return new VolumeClientOptions(leaseTtl, renewInterval, rebuildBytesPerSecond, timeout);
    }
}
