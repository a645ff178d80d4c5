package io.keel.meta.cluster;

import java.util.Objects;

/**
 * What a compute node can give VMs and what its VMs hold, from its reported inventory and the VMs
 * placed on it (whatever their state: a stopped VM keeps its claim, so starting it never fails
 * for room) or migrating to or from it. RAM is not overcommitted: a guest's memory is really used, and a host that swaps
 * makes every VM on it slow; the host keeps {@link #HOST_RESERVE_MIB} for itself and Keel.
 * vCPUs are time-shared, up to {@link #VCPU_RATIO} per logical CPU.
 */
public record ComputeCapacity(int cpus, int vcpus, int vcpusUsed, long ramMiB, long ramUsedMiB) {
    public static final int HOST_RESERVE_MIB = 1024;
    public static final int VCPU_RATIO = 4;

    /** The node's capacity, counting every VM placed on it except {@code exceptVmId} (may be null). */
    public static ComputeCapacity of(ClusterState state, NodeRecord node, String exceptVmId) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(node, "node");
        int cpus = node.inventory().cpuCores();
        long ram = Math.max(0, (node.inventory().memoryBytes() >> 20) - HOST_RESERVE_MIB);
        int cpuUsed = 0;
        long ramUsed = 0;
        // A VM on the move holds room on both nodes until it finished or failed: either may end up running it.
        for (Vm v : state.vms()) {
            boolean here = v.nodeId().equals(node.id()) || v.migrating()
                    && (v.migration().targetNodeId().equals(node.id()) || v.migration().sourceNodeId().equals(node.id()));
            if (here && !v.id().equals(exceptVmId)) {
                cpuUsed += v.vcpus();
                ramUsed += v.ramMiB();
            }
        }
        return new ComputeCapacity(cpus, cpus * VCPU_RATIO, cpuUsed, ram, ramUsed);
    }

    public long ramFreeMiB() {
        return ramMiB - ramUsedMiB;
    }

    public int vcpusFree() {
        return vcpus - vcpusUsed;
    }

    /** A VM of this size could run here if the node were empty. */
    public boolean couldEverHold(int vmVcpus, int vmRamMiB) {
        return vmVcpus <= cpus && vmRamMiB <= ramMiB;
    }

    public boolean hasRoomFor(int vmVcpus, int vmRamMiB) {
        return couldEverHold(vmVcpus, vmRamMiB) && vmRamMiB <= ramFreeMiB() && vmVcpus <= vcpusFree();
    }
}
