package io.keel.api;

import io.keel.api.console.ConsoleService;
import io.keel.api.console.NodeCredential;
import java.util.Objects;

/**
 * What a node serves behind its API, one service per area. A node that does not serve an area
 * yet gets a stand-in whose every call answers 503 with the reason, so its routes still exist
 * and are documented.
 */
public record ApiServices(ClusterService cluster, VolumeService volumes, SnapshotService snapshots,
        ComputeService compute, VmService vms, ConsoleService consoles, NodeCredential nodeCredential,
        VmSnapshotService vmSnapshots, VmStatsService vmStats) {
    public ApiServices {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(vms, "vms");
        Objects.requireNonNull(consoles, "consoles");
        Objects.requireNonNull(nodeCredential, "nodeCredential");
        Objects.requireNonNull(vmSnapshots, "vmSnapshots");
        Objects.requireNonNull(vmStats, "vmStats");
    }

    /** Only the cluster service; every other area answers 503. */
    public static ApiServices of(ClusterService cluster) {
        return new ApiServices(cluster, new UnservedVolumeService(), new UnservedSnapshotService(),
                Unserved.service(ComputeService.class, "compute is not served by this node"),
                Unserved.service(VmService.class, "VMs are not served by this node"),
                Unserved.service(ConsoleService.class, "VM consoles are not served by this node"),
                Unserved.service(NodeCredential.class, "this node has no credential to reach consoles on other nodes"),
                Unserved.service(VmSnapshotService.class, "VM snapshots are not served by this node"),
                Unserved.service(VmStatsService.class, "VM statistics are not served by this node"));
    }

    public ApiServices withVolumes(VolumeService v) {
        return new ApiServices(cluster, v, snapshots, compute, vms, consoles, nodeCredential, vmSnapshots, vmStats);
    }

    public ApiServices withSnapshots(SnapshotService s) {
        return new ApiServices(cluster, volumes, s, compute, vms, consoles, nodeCredential, vmSnapshots, vmStats);
    }

    public ApiServices withCompute(ComputeService c) {
        return new ApiServices(cluster, volumes, snapshots, c, vms, consoles, nodeCredential, vmSnapshots, vmStats);
    }

    public ApiServices withVms(VmService v) {
        return new ApiServices(cluster, volumes, snapshots, compute, v, consoles, nodeCredential, vmSnapshots, vmStats);
    }

    /**
     * VM consoles: {@code service} finds a VM's console, {@code credential} is this node's own,
     * used to reach consoles of VMs on other nodes.
     */
    public ApiServices withConsoles(ConsoleService service, NodeCredential credential) {
        return new ApiServices(cluster, volumes, snapshots, compute, vms, service, credential, vmSnapshots, vmStats);
    }

    public ApiServices withVmSnapshots(VmSnapshotService s) {
        return new ApiServices(cluster, volumes, snapshots, compute, vms, consoles, nodeCredential, s, vmStats);
    }

    public ApiServices withVmStats(VmStatsService s) {
        return new ApiServices(cluster, volumes, snapshots, compute, vms, consoles, nodeCredential, vmSnapshots, s);
    }
}
