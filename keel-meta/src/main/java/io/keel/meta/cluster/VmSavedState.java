package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The machine state of a suspended VM (ADR 0021): QEMU's migration stream, written by the VM's host
 * into a thin volume of its own, which no VM uses as a disk and which cannot be deleted on its own.
 * Stored at {@code vmstate/<vm id>} beside the VM record rather than in it, so that the record's two
 * halves keep their writers (API and host) and a suspend adds no field every VM carries.
 *
 * @param volumeId      the state volume
 * @param saved         false while the host is writing it; true once all of it is there
 * @param stateBytes    bytes of state written (so far, while not saved); a resume reads exactly these
 * @param ramBytes      the guest's RAM when the suspend was asked for, for the progress
 * @param resumePower   the desired power the VM goes back to when the save fails (RUNNING or PAUSED)
 * @param saveMillis    how long the save took (stop to the last byte flushed), once saved
 * @param snapshotId    null for a suspend's own state; else the memory snapshot the VM was reverted to
 *                      (ADR 0024), which owns the volume: the state is forgotten after the resume or a
 *                      stop, but the volume stays with the snapshot
 */
public record VmSavedState(String vmId, String volumeId, boolean saved, long stateBytes, long ramBytes,
        VmPower resumePower, Instant requestedAt, Instant updatedAt, Long saveMillis, String snapshotId) {
    public VmSavedState {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(resumePower, "resumePower");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True if the state is a memory snapshot's, to resume from at the VM's next start. */
    public boolean fromSnapshot() {
        return snapshotId != null;
    }

    public VmSavedState progress(long bytes, Instant at) {
        return new VmSavedState(vmId, volumeId, false, bytes, ramBytes, resumePower, requestedAt, at, null, snapshotId);
    }

    public VmSavedState completed(long bytes, long millis, Instant at) {
        return new VmSavedState(vmId, volumeId, true, bytes, ramBytes, resumePower, requestedAt, at, millis, snapshotId);
    }
}
