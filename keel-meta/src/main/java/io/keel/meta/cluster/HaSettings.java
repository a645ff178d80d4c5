package io.keel.meta.cluster;

import io.keel.ha.RelocationMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster's HA settings (ADR 0030), read by the HA manager at every step instead of the
 * engine's defaults.
 *
 * @param migrateBack            VMs moved off a lost or evacuated node go back when it is usable again
 * @param relocation             how a node is chosen for a VM that must start or move
 * @param shutdownTimeoutSeconds how long a node's graceful shutdown waits for its VMs to move
 *                               before it stops the rest cleanly
 */
public record HaSettings(boolean migrateBack, RelocationMode relocation, int shutdownTimeoutSeconds) {
    public static final HaSettings DEFAULTS = new HaSettings(true, RelocationMode.DRS, 60);
    /** Long enough for a few live migrations of large guests, short enough for systemd's stop timeout. */
    public static final int MAX_SHUTDOWN_TIMEOUT_SECONDS = 3600;

    public HaSettings {
        Objects.requireNonNull(relocation, "relocation");
        if (shutdownTimeoutSeconds < 0 || shutdownTimeoutSeconds > MAX_SHUTDOWN_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("the shutdown timeout must be 0 to " + MAX_SHUTDOWN_TIMEOUT_SECONDS
                    + " seconds, not " + shutdownTimeoutSeconds);
        }
    }

    /** The name administrators type: {@code drs} or {@code round-robin}. */
    public static String label(RelocationMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<RelocationMode> relocation(String label) {
        return Arrays.stream(RelocationMode.values()).filter(m -> label(m).equals(label)).findFirst();
    }

    public static String relocationLabels() {
        return Arrays.stream(RelocationMode.values()).map(HaSettings::label).collect(Collectors.joining(" or "));
    }

    public HaSettings with(Boolean migrateBack, RelocationMode relocation, Integer shutdownTimeoutSeconds) {
        return new HaSettings(migrateBack == null ? this.migrateBack : migrateBack,
                relocation == null ? this.relocation : relocation,
                shutdownTimeoutSeconds == null ? this.shutdownTimeoutSeconds : shutdownTimeoutSeconds);
    }
}
