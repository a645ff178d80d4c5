package io.keel.iscsi.scsi;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the persistent reservation state of one LUN lives: on a target group, the cluster
 * metadata, so every node's target sees and changes the same state. A compare-and-set cell: the
 * version grows with every successful {@link #replace}; version 0 (or nothing stored) means never
 * written. Implementations must be thread-safe; {@link #load()} runs on every command that
 * reservations can block, so it should read a local copy.
 */
public interface ReservationStore {

    /** A stored state and the version it was written as (at least 1). */
    record Stored(long version, String state) {
        public Stored {
            Objects.requireNonNull(state, "state");
            if (version < 1) {
                throw new IllegalArgumentException("stored version " + version);
            }
        }
    }

    /** The latest state, or empty if none was ever written. */
    Optional<Stored> load();

    /**
     * Writes {@code state} if the stored version is still {@code expectedVersion} (0: nothing
     * stored yet).
     *
     * @return false if another writer got there first; the caller reloads and recomputes
     */
    boolean replace(long expectedVersion, String state);
}
