package io.keel.meta.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A VM snapshot: one volume snapshot per VM disk, all recorded by one command while the guest's
 * vCPUs were stopped and every disk's writer quiesced, so the set is crash-consistent as a whole.
 * The volume snapshots carry the VM snapshot's name and belong to it: they are deleted with it and
 * cannot be deleted alone.
 *
 * @param disks        in the VM's disk order when the snapshot was taken
 * @param withMemory    whether the guest's machine state (RAM, devices) was saved too (ADR 0024)
 * @param pausedMillis  how long the guest's vCPUs were stopped for it (0 for a VM that was not running)
 * @param stateVolumeId with memory: the thin volume holding QEMU's migration stream, owned by this
 *                      snapshot (deleted with it, never a disk); null without
 * @param stateBytes    with memory: the length of that stream; 0 without
 */
public record VmSnapshot(String id, String name, String vmId, List<VmSnapshotDisk> disks, Instant createdAt,
        boolean withMemory, long pausedMillis, String stateVolumeId, long stateBytes) {
    public VmSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmId, "vmId");
        disks = List.copyOf(Objects.requireNonNull(disks, "disks"));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean owns(String volumeSnapshotId) {
        return disks.stream().anyMatch(d -> d.snapshotId().equals(volumeSnapshotId));
    }
}
