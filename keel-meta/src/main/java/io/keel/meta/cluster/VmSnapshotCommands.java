package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.FailVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.RequestVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.RevertVm;
import io.keel.meta.cluster.ClusterCommand.RevertVolume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * VM snapshots (ADR 0020): a set of volume snapshots, one per disk, recorded together. Each volume
 * snapshot is checked and written by {@link SnapshotCommands} and the plans are merged, as CreateVm
 * merges the volumes it makes, so the set is all or nothing.
 */
final class VmSnapshotCommands {
    static final String NO_MEMORY = "memory snapshots are not supported yet: take a disk-only snapshot"
            + " (the guest's disks are crash-consistent together)";
    /**
     * A request older than this is replaced by a new one: its host never acted on it (the agent was
     * down), and the host refuses to act on one this old, so the two cannot both be taken.
     */
    static final Duration REQUEST_TTL = Duration.ofMinutes(2);

    private final ClusterCodec codec;
    private final SnapshotCommands snapshots;

    VmSnapshotCommands(ClusterCodec codec, SnapshotCommands snapshots) {
        this.codec = codec;
        this.snapshots = snapshots;
    }

    Plan request(ClusterState state, RequestVmSnapshot c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        checkNew(state, vm, c.snapshotId(), c.name(), c.withMemory());
        if (vm.status() != VmStatus.ACTIVE && vm.status() != VmStatus.PAUSED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + lower(vm.status())
                    + ": its host takes snapshots of running or paused VMs only (a stopped VM's are taken directly)");
        }
        state.vmSnapshotRequest(vm.id()).filter(r -> r.pending() && r.requestedAt().plus(REQUEST_TTL).isAfter(at))
                .ifPresent(r -> {
                    throw Rejection.conflict("snapshot " + Names.quote(r.name()) + " of VM " + Names.quote(vm.name())
                            + " is being taken: wait for it to finish");
                });
        return new Plan(codec, c.snapshotId()).put(ClusterState.vmSnapshotRequestKey(vm.id()),
                new VmSnapshotRequest(vm.id(), c.snapshotId(), c.name(), c.withMemory(), at, null));
    }

    Plan create(ClusterState state, CreateVmSnapshot c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        Checks.valid(Names.validateId("VM snapshot id", c.snapshotId()));
        if (state.vmSnapshot(c.snapshotId()).filter(s -> s.name().equals(c.name()) && s.createdAt().equals(at))
                .isPresent()) {
            return new Plan(codec, c.snapshotId());
        }
        checkNew(state, vm, c.snapshotId(), c.name(), c.withMemory());
        if (c.pausedMillis() < 0) {
            throw Rejection.invalid("the pause time cannot be negative");
        }
        List<CreateSnapshot> parts = Checks.required(c.volumeSnapshots(), "volume snapshots");
        Map<String, CreateSnapshot> byVolume = new HashMap<>();
        for (CreateSnapshot p : parts) {
            Checks.required(p, "volume snapshot");
            if (!vm.uses(Checks.required(p.volumeId(), "volume id"))) {
                throw Rejection.invalid("volume " + Names.quote(p.volumeId()) + " is not a disk of VM "
                        + Names.quote(vm.name()));
            }
            if (byVolume.put(p.volumeId(), p) != null) {
                throw Rejection.invalid("volume " + Names.quote(p.volumeId()) + " is listed twice");
            }
            if (!c.name().equals(p.name()) || !at.equals(p.at())) {
                throw Rejection.invalid("every volume snapshot takes the VM snapshot's name and time");
            }
        }
        Plan plan = new Plan(codec, c.snapshotId());
        List<VmSnapshotDisk> disks = new ArrayList<>();
        for (VmDiskRef d : vm.disks()) {
            CreateSnapshot p = byVolume.get(d.volumeId());
            if (p == null) {
                throw Rejection.invalid("a VM snapshot covers every disk: volume " + Names.quote(d.volumeId())
                        + " has no snapshot in it");
            }
            plan.merge(snapshots.create(state, p));
            disks.add(new VmSnapshotDisk(d.volumeId(), p.snapshotId()));
        }
        plan.put(ClusterState.vmSnapshotKey(c.snapshotId()),
                new VmSnapshot(c.snapshotId(), c.name(), vm.id(), disks, at, c.withMemory(), c.pausedMillis()));
        state.vmSnapshotRequest(vm.id()).filter(r -> r.snapshotId().equals(c.snapshotId()))
                .ifPresent(r -> plan.delete(ClusterState.vmSnapshotRequestKey(vm.id())));
        return plan;
    }

    Plan fail(ClusterState state, FailVmSnapshot c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (!vm.nodeId().equals(c.nodeId())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + Names.quote(vm.nodeId())
                    + ", not on " + Names.quote(c.nodeId()) + ": only its host reports on its snapshots");
        }
        VmSnapshotRequest r = state.vmSnapshotRequest(vm.id()).filter(x -> x.snapshotId().equals(c.snapshotId()))
                .orElseThrow(() -> Rejection.notFound("VM " + Names.quote(vm.name()) + " has no snapshot request "
                        + Names.quote(c.snapshotId())));
        String reason = c.reason() == null || c.reason().isBlank() ? "the host gave no reason" : c.reason();
        return new Plan(codec, c.snapshotId()).put(ClusterState.vmSnapshotRequestKey(vm.id()), r.failed(reason));
    }

    Plan delete(ClusterState state, DeleteVmSnapshot c) {
        Checks.initialised(state);
        VmSnapshot s = Checks.found(state.vmSnapshot(Checks.required(c.snapshotId(), "VM snapshot id")),
                "VM snapshot " + Names.quote(c.snapshotId()) + " does not exist");
        Plan plan = new Plan(codec, s.id());
        for (VmSnapshotDisk d : s.disks()) {
            // A part already gone (it cannot be deleted alone, but a store may be restored) is no reason to keep the rest.
            state.volume(d.snapshotId()).filter(Volume::isSnapshot).ifPresent(v -> plan.merge(snapshots.deletePlan(state,
                    v)));
        }
        return plan.delete(ClusterState.vmSnapshotKey(s.id()));
    }

    Plan revert(ClusterState state, RevertVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        VmSnapshot s = Checks.found(state.vmSnapshotByIdOrName(vm.id(), Checks.required(c.snapshotId(),
                "VM snapshot")), "VM " + Names.quote(vm.name()) + " has no snapshot " + Names.quote(c.snapshotId()));
        if (vm.power() != VmPower.STOPPED || VmRules.mayRun(vm.status())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + lower(vm.status())
                    + ": a VM is reverted only while it is stopped (stop it first)");
        }
        Plan plan = new Plan(codec, vm.id());
        for (VmSnapshotDisk d : s.disks()) {
            if (!vm.uses(d.volumeId())) {
                throw Rejection.conflict("volume " + Names.quote(d.volumeId()) + " of snapshot "
                        + Names.quote(s.name()) + " is no longer a disk of VM " + Names.quote(vm.name()));
            }
            plan.merge(snapshots.revert(state, new RevertVolume(d.volumeId(), d.snapshotId(), at)));
        }
        if (c.start()) {
            plan.put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.RUNNING, vm.stop()));
        }
        return plan;
    }

    /** Refuses to delete a VM that has snapshots: its volumes could then not be deleted either. */
    static void refuseWhileSnapshotted(ClusterState state, Vm vm) {
        List<VmSnapshot> all = state.vmSnapshots(vm.id());
        if (!all.isEmpty()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " has snapshots ("
                    + String.join(", ", all.stream().map(VmSnapshot::name).sorted().toList())
                    + "): delete them first (keel vm snapshot delete)");
        }
    }

    private static void checkNew(ClusterState state, Vm vm, String id, String name, boolean withMemory) {
        Checks.valid(Names.validateId("VM snapshot id", id));
        Checks.valid(Names.validateSnapshotName(name));
        if (withMemory) {
            throw Rejection.invalid(NO_MEMORY);
        }
        if (state.vmSnapshot(id).isPresent()) {
            throw Rejection.conflict("VM snapshot id " + Names.quote(id) + " is taken");
        }
        if (state.vmSnapshots(vm.id()).stream().anyMatch(s -> s.name().equals(name))) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " already has a snapshot named "
                    + Names.quote(name));
        }
    }

    private static String lower(VmStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }
}
