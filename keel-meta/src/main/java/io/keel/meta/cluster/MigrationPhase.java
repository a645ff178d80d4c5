package io.keel.meta.cluster;

/**
 * Where a live migration is (ADR 0019). PREPARING: the target node starts its QEMU waiting for the
 * state; TRANSFERRING: the source sends RAM and device state; SWITCHING: the source has stopped and
 * handed the VM over (the record names the target as host), the target resumes it. The last three
 * are final.
 */
public enum MigrationPhase {
    PREPARING,
    TRANSFERRING,
    SWITCHING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean active() {
        return this == PREPARING || this == TRANSFERRING || this == SWITCHING;
    }
}
