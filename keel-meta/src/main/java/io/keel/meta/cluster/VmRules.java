package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateVm;

/** Checks on VMs shared by the VM, volume and compute commands. */
final class VmRules {
    private VmRules() {}

    static Vm vm(ClusterState state, String idOrName) {
        Checks.initialised(state);
        Checks.required(idOrName, "VM");
        return Checks.found(state.vmByIdOrName(idOrName), "no VM " + Names.quote(idOrName));
    }

    /** States in which a QEMU process may exist for the VM. */
    static boolean mayRun(VmStatus s) {
        return s == VmStatus.ACTIVE || s == VmStatus.PAUSED || s == VmStatus.MIGRATING;
    }

    static boolean isReplay(ClusterState state, CreateVm c) {
        return state.vm(c.id()).filter(v -> v.name().equals(c.name()) && v.createdAt().equals(c.at())).isPresent();
    }

    /** The volume exists, is not a snapshot, and no VM but {@code except} uses it. */
    static Volume attachable(ClusterState state, String volumeId, String except) {
        Volume v = VolumeCommands.ordinary(state, volumeId);
        state.images().stream().filter(i -> v.id().equals(i.volumeId())).findFirst().ifPresent(i -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds image " + Names.quote(i.name())
                    + ": VMs get copies of it (keel vm create --image), never the image itself");
        });
        VmSuspendCommands.refuseStateVolume(state, v, "attached to a VM");
        IscsiCommands.refuseLun(state, v, "attached to a VM");
        state.vms().stream().filter(vm -> !vm.id().equals(except) && vm.uses(v.id())).findFirst().ifPresent(vm -> {
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " is attached to VM " + Names.quote(vm.name())
                    + ": a volume belongs to one VM at a time");
        });
        return v;
    }

    static NodeRecord computeNode(ClusterState state, String nodeId) {
        ComputeCluster cluster = state.computeCluster().orElseThrow(() -> Rejection.invalid(
                "there is no compute cluster: create it first (keel compute create)"));
        NodeRecord node = Checks.node(state, Checks.required(nodeId, "host node"));
        if (!cluster.contains(node.id())) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is not in the compute cluster");
        }
        if (node.maintenance()) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is in maintenance");
        }
        return node;
    }

    /** Refuses a VM of this size on {@code node}, counting every VM placed there but {@code except}. */
    static void fits(ClusterState state, NodeRecord node, int vcpus, int ramMiB, String except) {
        ComputeCapacity c = ComputeCapacity.of(state, node, except);
        if (!c.couldEverHold(vcpus, ramMiB)) {
            throw Rejection.invalid("node " + Checks.describe(node) + " has " + c.cpus() + " CPUs and " + c.ramMiB()
                    + " MiB of RAM for VMs: a VM of " + vcpus + " vCPUs and " + ramMiB
                    + " MiB does not fit on it even when empty");
        }
        if (ramMiB > c.ramFreeMiB()) {
            throw Rejection.conflict("node " + Checks.describe(node) + " has " + c.ramFreeMiB() + " MiB of RAM"
                    + " left for VMs (of " + c.ramMiB() + "), not the " + ramMiB + " MiB this VM needs");
        }
        if (vcpus > c.vcpusFree()) {
            throw Rejection.conflict("node " + Checks.describe(node) + " has " + c.vcpusFree() + " vCPUs left"
                    + " (" + ComputeCapacity.VCPU_RATIO + " per CPU), not the " + vcpus + " this VM needs");
        }
    }
}
