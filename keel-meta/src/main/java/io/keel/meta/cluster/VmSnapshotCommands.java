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
import java.util.Optional;

/**
 * VM snapshots (ADR 0020): a set of volume snapshots, one per disk, recorded together. Each volume
 * snapshot is checked and written by {@link SnapshotCommands} and the plans are merged, as CreateVm
 * merges the volumes it makes, so the set is all or nothing.
 */
final class VmSnapshotCommands {
    /**
     * A request older than this is replaced by a new one: its host never acted on it (the agent was
     * down), and the host refuses to act on one this old, so the two cannot both be taken.
     */
    static final Duration REQUEST_TTL = Duration.ofMinutes(2);

    private final ClusterCodec codec;
    private final SnapshotCommands snapshots;
    private final VolumeCommands volumes;

    VmSnapshotCommands(ClusterCodec codec, SnapshotCommands snapshots, VolumeCommands volumes) {
        this.codec = codec;
        this.snapshots = snapshots;
        this.volumes = volumes;
    }

    Plan request(ClusterState state, RequestVmSnapshot c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        Optional<VmSnapshotRequest> earlier = state.vmSnapshotRequest(vm.id());
        if (earlier.filter(r -> r.snapshotId().equals(c.snapshotId()) && r.requestedAt().equals(at)).isPresent()) {
            return new Plan(codec, c.snapshotId());
        }
        checkNew(state, vm, c.snapshotId(), c.name());
        if (c.withMemory() != (c.stateVolume() != null)) {
            throw Rejection.invalid(c.withMemory() ? "a memory snapshot needs a volume to save the state into"
                    : "a disk-only snapshot has no state volume");
        }
        if (vm.status() != VmStatus.ACTIVE && vm.status() != VmStatus.PAUSED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + lower(vm.status())
                    + ": its host takes snapshots of running or paused VMs only (a stopped VM's are taken directly)");
        }
        earlier.filter(r -> r.pending() && r.requestedAt().plus(REQUEST_TTL).isAfter(at)).ifPresent(r -> {
            throw Rejection.conflict("snapshot " + Names.quote(r.name()) + " of VM " + Names.quote(vm.name())
                    + " is being taken: wait for it to finish");
        });
        if (vm.power() == VmPower.SUSPENDED || state.vmSavedState(vm.id()).isPresent()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is being suspended or resumed: snapshot it"
                    + " once it runs");
        }
        Plan plan = new Plan(codec, c.snapshotId());
        // A request replaced after its TTL was never acted on (the host refuses old ones): its volume goes.
        earlier.ifPresent(r -> VmSuspendCommands.dropVolume(state, r.stateVolumeId(), plan));
        if (c.withMemory()) {
            if (c.stateVolume().sizeBytes() < vm.ramBytes()) {
                throw Rejection.invalid("a state volume of " + c.stateVolume().sizeBytes() + " bytes cannot hold the "
                        + vm.ramBytes() + " bytes of RAM of VM " + Names.quote(vm.name()));
            }
            plan.merge(volumes.create(state, c.stateVolume()));
        }
        return plan.put(ClusterState.vmSnapshotRequestKey(vm.id()), new VmSnapshotRequest(vm.id(), c.snapshotId(),
                c.name(), c.withMemory(), at, null, c.withMemory() ? c.stateVolume().id() : null));
    }

    Plan create(ClusterState state, CreateVmSnapshot c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        Checks.valid(Names.validateId("VM snapshot id", c.snapshotId()));
        if (state.vmSnapshot(c.snapshotId()).filter(s -> s.name().equals(c.name()) && s.createdAt().equals(at))
                .isPresent()) {
            return new Plan(codec, c.snapshotId());
        }
        checkNew(state, vm, c.snapshotId(), c.name());
        if (c.pausedMillis() < 0) {
            throw Rejection.invalid("the pause time cannot be negative");
        }
        String stateVolumeId = c.withMemory() ? memoryState(state, vm, c) : null;
        if (!c.withMemory() && c.stateBytes() != 0) {
            throw Rejection.invalid("a disk-only snapshot has no saved state");
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
                new VmSnapshot(c.snapshotId(), c.name(), vm.id(), disks, at, c.withMemory(), c.pausedMillis(),
                        stateVolumeId, c.stateBytes()));
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
        Plan plan = new Plan(codec, c.snapshotId());
        VmSuspendCommands.dropVolume(state, r.stateVolumeId(), plan);
        return plan.put(ClusterState.vmSnapshotRequestKey(vm.id()), r.failed(reason));
    }

    Plan delete(ClusterState state, DeleteVmSnapshot c) {
        Checks.initialised(state);
        VmSnapshot s = Checks.found(state.vmSnapshot(Checks.required(c.snapshotId(), "VM snapshot id")),
                "VM snapshot " + Names.quote(c.snapshotId()) + " does not exist");
        Plan plan = new Plan(codec, s.id());
        if (s.stateVolumeId() != null) {
            forgetPendingResume(state, s, plan);
            VmSuspendCommands.dropVolume(state, s.stateVolumeId(), plan);
        }
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
        // Whatever the VM was to resume from no longer matches its disks.
        VmSuspendCommands.discard(state, vm, plan);
        if (s.withMemory()) {
            java.util.Set<String> then = new java.util.HashSet<>();
            s.disks().forEach(d -> then.add(d.volumeId()));
            List<String> added = vm.disks().stream().filter(d -> !then.contains(d.volumeId()))
                    .map(d -> Names.quote(state.volume(d.volumeId()).map(Volume::name).orElse(d.volumeId()))).toList();
            if (!added.isEmpty()) {
                throw Rejection.conflict("volumes " + Checks.list(added) + " were attached to VM "
                        + Names.quote(vm.name()) + " after snapshot " + Names.quote(s.name()) + " was taken: its saved"
                        + " memory is of a machine without them; detach them to revert to it");
            }
            Volume sv = state.volume(Checks.required(s.stateVolumeId(), "state volume")).orElseThrow(() ->
                    Rejection.conflict("the state volume of snapshot " + Names.quote(s.name()) + " no longer exists"));
            if (s.stateBytes() <= 0 || s.stateBytes() > sv.sizeBytes()) {
                throw Rejection.conflict("snapshot " + Names.quote(s.name()) + " has no usable saved state");
            }
            plan.put(ClusterState.vmSavedStateKey(vm.id()), new VmSavedState(vm.id(), sv.id(), true, s.stateBytes(),
                    vm.ramBytes(), VmPower.RUNNING, at, at, null, s.id()));
        }
        if (c.start()) {
            plan.put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.RUNNING, vm.stop()));
        }
        return plan;
    }

    /** The state volume the host saved the memory into: the request's, holding 1 to size bytes. */
    private static String memoryState(ClusterState state, Vm vm, CreateVmSnapshot c) {
        VmSnapshotRequest r = state.vmSnapshotRequest(vm.id()).filter(x -> x.snapshotId().equals(c.snapshotId())
                && x.pending() && x.withMemory() && x.stateVolumeId() != null).orElseThrow(() -> Rejection.invalid(
                        "a memory snapshot is taken by the VM's host, into the state volume of its request"));
        long size = state.volume(r.stateVolumeId()).map(Volume::sizeBytes).orElseThrow(() -> Rejection.conflict(
                "the state volume of snapshot " + Names.quote(c.name()) + " no longer exists"));
        if (c.stateBytes() <= 0 || c.stateBytes() > size) {
            throw Rejection.invalid("saved state of " + c.stateBytes() + " bytes: it must be 1 to " + size
                    + " bytes (the state volume's size)");
        }
        return r.stateVolumeId();
    }

    /**
     * A VM reverted to this snapshot and not started since would resume from its state: a stopped one
     * forgets it (its next start boots from its disks); one being resumed keeps the snapshot.
     */
    private static void forgetPendingResume(ClusterState state, VmSnapshot s, Plan plan) {
        for (VmSavedState x : state.vmSavedStates()) {
            if (!s.id().equals(x.snapshotId())) {
                continue;
            }
            Optional<Vm> vm = state.vm(x.vmId());
            if (vm.isPresent() && (vm.get().power() != VmPower.STOPPED || vm.get().status() == VmStatus.SUSPENDED)) {
                throw Rejection.conflict("VM " + Names.quote(vm.get().name()) + " is resuming from the memory of snapshot "
                        + Names.quote(s.name()) + ": delete it once the VM runs (or stop the VM first)");
            }
            plan.delete(ClusterState.vmSavedStateKey(x.vmId()));
        }
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

    private static void checkNew(ClusterState state, Vm vm, String id, String name) {
        Checks.valid(Names.validateId("VM snapshot id", id));
        Checks.valid(Names.validateSnapshotName(name));
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
