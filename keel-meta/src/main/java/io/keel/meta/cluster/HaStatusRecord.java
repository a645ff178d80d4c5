package io.keel.meta.cluster;

import io.keel.ha.ManagerStatus;
import java.util.Objects;

/**
 * The HA cluster resource manager's persisted status (ADR 0027, 0029) with a version raised by
 * every write, so a save is a compare-and-set: a CRM that read an older version (a deposed leader's,
 * or one that raced a live migration's switch-over) is refused and steps again from the new one.
 */
public record HaStatusRecord(long version, ManagerStatus status) {
    public HaStatusRecord {
        Objects.requireNonNull(status, "status");
        if (version < 0) {
            throw new IllegalArgumentException("version cannot be negative: " + version);
        }
    }
}
