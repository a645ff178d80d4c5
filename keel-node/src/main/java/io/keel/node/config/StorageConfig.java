package io.keel.node.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The storage side of a node: where its NBD server listens, how long a missing chunk service is
 * waited for before its replicas are rebuilt elsewhere, and how hard background work may push
 * the disks (rebuild and scrub rates, in bytes per second, keep foreground I/O first).
 *
 * @param nbdPort NBD server port on the bind address; 0 turns the NBD server off
 * @param diskReserveBytes space kept free on every storage disk; new chunk data stops there
 */
public record StorageConfig(
        int nbdPort,
        Duration gracePeriod,
        long rebuildBytesPerSecond,
        Duration scrubInterval,
        long scrubBytesPerSecond,
        long diskReserveBytes) {

    public static final int DEFAULT_NBD_PORT = 10809;
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(5);
    public static final long DEFAULT_REBUILD_RATE = 200L << 20;
    public static final Duration DEFAULT_SCRUB_INTERVAL = Duration.ofDays(7);
    public static final long DEFAULT_SCRUB_RATE = 50L << 20;
    public static final long DEFAULT_DISK_RESERVE = 256L << 20;

    public StorageConfig {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(scrubInterval, "scrubInterval");
        if (nbdPort < 0 || nbdPort > 65535) {
            throw new IllegalArgumentException("storage.nbdPort must be 0-65535 (0 turns NBD off), got " + nbdPort);
        }
        if (gracePeriod.isNegative() || gracePeriod.isZero()) {
            throw new IllegalArgumentException("storage.gracePeriod must be positive");
        }
        if (rebuildBytesPerSecond < (1 << 20) || scrubBytesPerSecond < (1 << 20)) {
            throw new IllegalArgumentException("storage.rebuildRate and storage.scrubRate must be at least 1 MiB/s");
        }
        if (diskReserveBytes < 0) {
            throw new IllegalArgumentException("storage.diskReserve must not be negative");
        }
        if (scrubInterval.isNegative() || scrubInterval.isZero()) {
            throw new IllegalArgumentException("storage.scrubInterval must be positive");
        }
    }

    public static StorageConfig defaults() {
        return new StorageConfig(DEFAULT_NBD_PORT, DEFAULT_GRACE_PERIOD, DEFAULT_REBUILD_RATE, DEFAULT_SCRUB_INTERVAL,
                DEFAULT_SCRUB_RATE, DEFAULT_DISK_RESERVE);
    }
}
