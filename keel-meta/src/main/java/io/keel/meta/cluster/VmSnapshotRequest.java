package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of a running VM asked for through the API and not taken yet. Only the VM's host can
 * stop the guest's vCPUs (its agent owns the one QMP connection, ADR 0014) and quiesce the disks
 * (it holds their write leases), so the request waits in the metadata for that agent, as power
 * changes do (ADR 0018). At most one per VM, at {@code vmsnapreq/<vm id>}: a
 * {@link ClusterCommand.CreateVmSnapshot} with its id removes it, a
 * {@link ClusterCommand.FailVmSnapshot} leaves it with the host's reason for the API to answer.
 *
 * @param failure       null while pending; the host's reason once it failed
 * @param stateVolumeId with memory: the volume the host saves the machine state into (null once failed:
 *                      the volume went with the failure)
 */
public record VmSnapshotRequest(String vmId, String snapshotId, String name, boolean withMemory, Instant requestedAt,
        String failure, String stateVolumeId) {
    public VmSnapshotRequest {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    public boolean pending() {
        return failure == null;
    }

    public VmSnapshotRequest failed(String reason) {
        return new VmSnapshotRequest(vmId, snapshotId, name, withMemory, requestedAt, reason, null);
    }
}
