package io.keel.node.ha;

import io.keel.ha.HaConfig;
import io.keel.meta.cluster.HaSettings;
import java.util.Objects;

/** The cluster's HA settings (ADR 0030) over the engine configuration the node starts with. */
public final class HaSettingsConfig {
    private HaSettingsConfig() {}

    public static HaConfig apply(HaConfig base, HaSettings settings) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(settings, "settings");
        return base.withRelocation(settings.relocation()).withMigrateBack(settings.migrateBack());
    }
}
