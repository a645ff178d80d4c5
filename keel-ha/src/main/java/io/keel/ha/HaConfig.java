package io.keel.ha;

import java.time.Duration;
import java.util.Objects;

/**
 * The HA engine's timing and policy (ADR 0027).
 *
 * @param heartbeatInterval how often nodes heartbeat and both managers take a step
 * @param detectionTime     a node silent for longer than this is lost (unknown)
 * @param leaseTtl          how long a node's write leases outlive its last contact with the metadata
 *                          majority; the CRM restarts a lost node's resources only after this
 * @param selfFenceTimeout  an LRM cut off from the majority for this long kills its HA resources;
 *                          it must fire (one step late at worst) before its leases run out
 * @param maxRestart        restarts on the same node after a local failure before the CRM is told
 * @param maxRelocate       moves to another node after failures before the resource is in error
 * @param relocation        how targets are chosen
 * @param migrateBack       whether resources moved off a lost or evacuated node go back when it returns
 * @param shutdownPolicy    what a graceful shutdown does with the node's resources
 */
public record HaConfig(Duration heartbeatInterval, Duration detectionTime, Duration leaseTtl,
        Duration selfFenceTimeout, int maxRestart, int maxRelocate, RelocationMode relocation,
        boolean migrateBack, ShutdownPolicy shutdownPolicy) {

    /**
     * Failures further apart than this are unrelated: a resource that has run this long since its
     * last start or move begins its restart and relocation counts afresh. Without it, one crash a
     * month would end in error after a few months.
     */
    public static final Duration STABLE_RUN = Duration.ofMinutes(10);

    public HaConfig {
        positive(heartbeatInterval, "heartbeatInterval");
        positive(detectionTime, "detectionTime");
        positive(leaseTtl, "leaseTtl");
        positive(selfFenceTimeout, "selfFenceTimeout");
        Objects.requireNonNull(relocation, "relocation");
        Objects.requireNonNull(shutdownPolicy, "shutdownPolicy");
        // One late heartbeat must not make a node lost.
        if (detectionTime.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("detectionTime (" + detectionTime
                    + ") must be at least two heartbeat intervals (" + heartbeatInterval + ")");
        }
        // The LRM notices at its next step, so the kill can come one interval after the timeout;
        // it must still land before the leases expire, or another node could start a copy.
        if (selfFenceTimeout.plus(heartbeatInterval).compareTo(leaseTtl) >= 0) {
            throw new IllegalArgumentException("selfFenceTimeout (" + selfFenceTimeout + ") plus one heartbeat interval ("
                    + heartbeatInterval + ") must be shorter than leaseTtl (" + leaseTtl
                    + "): a cut-off node must kill its resources before its leases expire");
        }
        if (maxRestart < 0 || maxRelocate < 0) {
            throw new IllegalArgumentException("maxRestart and maxRelocate must be >= 0");
        }
    }

    /**
     * Heartbeats every 1 s, lost after 5 s, self-fence after 6 s without the majority, leases of
     * 10 s: a killed node's resources restart about 10 s after its last contact (ADR 0027).
     */
    public static HaConfig defaults() {
        return new HaConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(6), 1, 1, RelocationMode.DRS, true, ShutdownPolicy.MIGRATE);
    }

    public HaConfig withRelocation(RelocationMode mode) {
        return new HaConfig(heartbeatInterval, detectionTime, leaseTtl, selfFenceTimeout, maxRestart, maxRelocate,
                mode, migrateBack, shutdownPolicy);
    }

    public HaConfig withMigrateBack(boolean on) {
        return new HaConfig(heartbeatInterval, detectionTime, leaseTtl, selfFenceTimeout, maxRestart, maxRelocate,
                relocation, on, shutdownPolicy);
    }

    public HaConfig withShutdownPolicy(ShutdownPolicy policy) {
        return new HaConfig(heartbeatInterval, detectionTime, leaseTtl, selfFenceTimeout, maxRestart, maxRelocate,
                relocation, migrateBack, policy);
    }

    public HaConfig withLimits(int restarts, int relocations) {
        return new HaConfig(heartbeatInterval, detectionTime, leaseTtl, selfFenceTimeout, restarts, relocations,
                relocation, migrateBack, shutdownPolicy);
    }

    public HaConfig withTiming(Duration detection, Duration selfFence, Duration lease) {
        return new HaConfig(heartbeatInterval, detection, lease, selfFence, maxRestart, maxRelocate,
                relocation, migrateBack, shutdownPolicy);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
