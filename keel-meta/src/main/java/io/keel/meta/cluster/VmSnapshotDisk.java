package io.keel.meta.cluster;

import java.util.Objects;

/** One disk of a VM snapshot: the VM's volume and the volume snapshot taken of it. */
public record VmSnapshotDisk(String volumeId, String snapshotId) {
    public VmSnapshotDisk {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(snapshotId, "snapshotId");
    }
}
