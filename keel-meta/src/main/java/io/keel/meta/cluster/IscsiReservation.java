package io.keel.meta.cluster;

import java.util.Objects;

/**
 * The SCSI persistent reservation state of one LUN (ADR 0033), opaque here: the target serialises
 * it and replaces it by compare-and-set on {@code version}, so every target of the group sees one
 * history of registrations and reservations.
 */
public record IscsiReservation(long version, String state) {
    /** Larger states are refused; the target limits registrations well below this. */
    public static final int MAX_STATE_CHARS = 64 * 1024;

    public IscsiReservation {
        Objects.requireNonNull(state, "state");
        if (version < 1) {
            throw new IllegalArgumentException("version " + version + " is not positive");
        }
    }
}
