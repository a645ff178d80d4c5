package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.DeleteVm;
import io.keel.meta.cluster.ClusterCommand.RebootVm;
import io.keel.meta.cluster.ClusterCommand.RenameVm;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.ResizeVm;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * VM records. Everything stored is checked here: the host is a compute node with room for the VM,
 * every disk is an ordinary volume attached to no other VM (the write lease cannot tell two VMs on
 * one node apart, ADR 0014, so this is what keeps two QEMUs off one volume), names are unique.
 * Liveness of the host is the API's to check, as for every command.
 */
final class VmCommands {
    /** Disks per VM: virtio-blk devices on the q35 root bus, with room for hot-plug later. */
    static final int MAX_DISKS = 16;

    private final ClusterCodec codec;
    private final VolumeCommands volumes;
    private final SnapshotCommands snapshots;

    VmCommands(ClusterCodec codec, VolumeCommands volumes, SnapshotCommands snapshots) {
        this.codec = codec;
        this.volumes = volumes;
        this.snapshots = snapshots;
    }

    Plan create(ClusterState state, CreateVm c) {
        Checks.initialised(state);
        Checks.valid(Names.validateId("VM id", c.id()));
        Checks.valid(Names.validateVmName(c.name()));
        Checks.required(c.at(), "time");
        Checks.required(c.placement(), "placement");
        Checks.required(c.power(), "power state");
        if (VmRules.isReplay(state, c)) {
            return new Plan(codec, c.id());
        }
        if (state.vm(c.id()).isPresent()) {
            throw Rejection.conflict("VM id " + Names.quote(c.id()) + " is taken");
        }
        if (state.vmByIdOrName(c.name()).isPresent()) {
            throw Rejection.conflict("a VM named " + Names.quote(c.name()) + " already exists");
        }
        FlavorCommands.valid(new Flavor(c.flavor() == null ? "custom" : c.flavor(), c.vcpus(), c.ramMiB()));
        List<VmDiskRef> disks = Checks.required(c.disks(), "disks");
        if (disks.isEmpty()) {
            throw Rejection.invalid("a VM needs at least a boot disk");
        }
        if (disks.size() > MAX_DISKS) {
            throw Rejection.invalid("a VM has at most " + MAX_DISKS + " disks, not " + disks.size());
        }
        NodeRecord node = VmRules.computeNode(state, c.nodeId());
        VmRules.fits(state, node, c.vcpus(), c.ramMiB(), null);
        Plan plan = new Plan(codec, c.id());
        // New volumes are checked one by one against the state before the command: their ids are
        // fresh and their names the API derives from the VM's, so they cannot clash with each other.
        Set<String> made = new HashSet<>();
        List<ClusterCommand.CreateVolume> fresh = c.newVolumes() == null ? List.of() : c.newVolumes();
        for (ClusterCommand.CreateVolume nv : fresh) {
            plan.merge(volumes.create(state, Checks.required(nv, "new volume")));
            made.add(nv.id());
        }
        if (c.bootClone() != null) {
            plan.merge(snapshots.cloneVolume(state, c.bootClone(),
                    c.bootSizeBytes() == null ? 0 : c.bootSizeBytes()));
            made.add(c.bootClone().cloneId());
        }
        Set<String> seen = new HashSet<>();
        for (VmDiskRef d : disks) {
            Checks.required(d, "disk");
            if (!seen.add(d.volumeId())) {
                throw Rejection.invalid("volume " + Names.quote(d.volumeId()) + " is listed twice");
            }
            if (!made.contains(d.volumeId())) {
                VmRules.attachable(state, d.volumeId(), null);
            }
        }
        if (!seen.containsAll(made)) {
            throw Rejection.invalid("every volume made for the VM must be one of its disks");
        }
        List<VmNic> asked = c.nics() == null ? List.of() : c.nics();
        List<VmNic> nics = new java.util.ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            VmNic n = Checks.required(asked.get(i), "NIC");
            nics.add(new VmNic(i, n.network(), n.mac(), false));
        }
        NetworkCommands.checkNics(state, nics);
        Vm vm = new Vm(c.id(), c.name(), c.flavor(), c.vcpus(), c.ramMiB(), disks, node.id(), c.placement(), c.power(),
                null, 0, false, VmStatus.BUILD, "", c.imageId(), c.at(), c.at(), null, nics,
                c.cdromImageId() == null ? null : VmDiskCommands.isoImage(state, c.cdromImageId()).id());
        return plan.put(ClusterState.vmKey(vm.id()), vm);
    }

    Plan setPower(ClusterState state, SetVmPower c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Checks.required(c.power(), "power state");
        VmStopMode stop;
        try {
            stop = c.stopTimeoutSeconds() == null ? vm.stop() : new VmStopMode(c.stopTimeoutSeconds());
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid(e.getMessage());
        }
        Optional<Plan> suspended = VmSuspendCommands.powerChange(codec, state, vm, c.power(), stop);
        if (suspended.isPresent()) {
            return suspended.get();
        }
        if (c.power() != VmPower.STOPPED && vm.status() == VmStatus.MIGRATING) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: wait for it to finish");
        }
        Plan plan = new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withDesired(c.power(), stop));
        if (c.power() == VmPower.RUNNING) {
            HaCommands.startRequested(state, plan, vm);
        }
        return plan;
    }

    Plan reboot(ClusterState state, RebootVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (vm.power() != VmPower.RUNNING || vm.status() != VmStatus.ACTIVE) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + vm.status().name().toLowerCase()
                    + ", not running: only a running VM can be rebooted (start it instead)");
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withReboot(c.hard()));
    }

    /**
     * Only the VM's host reports its status: after a move, a report from the old host is stale. A
     * report may also adopt a power state (the guest powered itself off: it stays off, as it would
     * on a physical machine).
     */
    Plan report(ClusterState state, ReportVmStatus c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Checks.required(c.status(), "status");
        Checks.required(c.at(), "time");
        if (!vm.nodeId().equals(c.nodeId())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + Names.quote(vm.nodeId())
                    + ", not on " + Names.quote(c.nodeId()) + ": only its host reports its status");
        }
        Vm next = vm.withStatus(c.status(), c.reason() == null ? "" : c.reason(), c.at());
        if (!VmRules.mayRun(c.status())) {
            next = NetworkCommands.withoutDetaching(VmDiskCommands.withoutDetaching(next));
        }
        if (c.adoptPower() != null) {
            next = next.withDesired(c.adoptPower(), next.stop());
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), next);
    }

    Plan rename(ClusterState state, RenameVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Checks.valid(Names.validateVmName(c.name()));
        if (vm.name().equals(c.name())) {
            return new Plan(codec, vm.id());
        }
        if (state.vmByIdOrName(c.name()).isPresent()) {
            throw Rejection.conflict("a VM named " + Names.quote(c.name()) + " already exists");
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withName(c.name()));
    }

    /**
     * Offline only: QEMU's vCPUs and RAM are fixed when it starts, and a running guest would not
     * see a change until its next start anyway, so a resize of a running VM is refused rather than
     * silently deferred.
     */
    Plan resize(ClusterState state, ResizeVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (vm.power() != VmPower.STOPPED || VmRules.mayRun(vm.status())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + vm.status().name().toLowerCase()
                    + ": a VM is resized while it is shut off (stop it, resize it, start it)");
        }
        FlavorCommands.valid(new Flavor(c.flavor() == null ? "custom" : c.flavor(), c.vcpus(), c.ramMiB()));
        NodeRecord node = Checks.node(state, vm.nodeId());
        VmRules.fits(state, node, c.vcpus(), c.ramMiB(), vm.id());
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withSize(c.flavor(), c.vcpus(), c.ramMiB()));
    }

    /**
     * The record goes; its volumes stay (the API deletes the ones the VM owns afterwards, if asked).
     * Refused while QEMU may still run: the API stops the VM first.
     */
    Plan delete(ClusterState state, DeleteVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (vm.power() != VmPower.STOPPED || VmRules.mayRun(vm.status())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + vm.status().name().toLowerCase()
                    + ": stop it before deleting it");
        }
        VmSnapshotCommands.refuseWhileSnapshotted(state, vm);
        Plan plan = new Plan(codec, vm.id()).delete(ClusterState.vmKey(vm.id()))
                .delete(ClusterState.vmSnapshotRequestKey(vm.id()));
        VmSuspendCommands.discard(state, vm, plan);
        return plan;
    }
}
