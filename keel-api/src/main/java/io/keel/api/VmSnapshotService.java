package io.keel.api;

import io.keel.api.dto.CreateVmSnapshotRequest;
import io.keel.api.dto.RevertVmRequest;
import io.keel.api.dto.VmSnapshotView;
import io.keel.api.dto.VmView;
import java.util.List;

/**
 * Snapshots of VMs: one volume snapshot per disk, crash-consistent together (ADR 0020). A VM is
 * named by id or name, a snapshot by id or by its name among the VM's snapshots. Every method
 * either returns or throws {@link ApiException} (400 invalid, 404 not_found, 409 conflict, 503 when
 * the metadata quorum or the VM's host is unavailable), and a method that throws has changed nothing.
 */
public interface VmSnapshotService {
    /**
     * Takes the snapshot: a running VM's host stops its vCPUs briefly around it, and with memory
     * also saves the machine state meanwhile (ADR 0024). 409 when the name is taken, the VM is
     * changing state, or a memory snapshot is asked of a stopped VM.
     */
    VmSnapshotView create(String vm, CreateVmSnapshotRequest request);

    /** The VM's snapshots, oldest first. */
    List<VmSnapshotView> list(String vm);

    VmSnapshotView get(String vm, String snapshot);

    /** Deletes the snapshot and its volume snapshots. */
    void delete(String vm, String snapshot);

    /** Reverts every disk of a stopped VM (409 otherwise), then starts it if asked. */
    VmView revert(String vm, String snapshot, RevertVmRequest request);
}
