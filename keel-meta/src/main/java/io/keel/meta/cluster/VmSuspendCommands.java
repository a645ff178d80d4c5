package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CompleteVmSuspend;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.FailVmSuspend;
import io.keel.meta.cluster.ClusterCommand.FinishVmResume;
import io.keel.meta.cluster.ClusterCommand.ReportVmSuspendProgress;
import io.keel.meta.cluster.ClusterCommand.ResumeVm;
import io.keel.meta.cluster.ClusterCommand.SuspendVm;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Suspend and resume (ADR 0021), as desired state like every VM action (ADR 0018): the API's
 * {@link SuspendVm} creates the state volume and asks for power SUSPENDED, the host saves QEMU's
 * state into it and reports; {@link ResumeVm} asks for RUNNING and the host restores the state and
 * reports, and the state volume goes. Every host report is refused from any other node.
 *
 * <p>The rules follow OpenStack: only a running or paused VM is suspended; only a suspended VM is
 * resumed (a start is refused with the reason); a stop discards the saved state; migrate, resize,
 * reboot and snapshot revert are refused while suspended by their own checks (the desired power
 * is not the one they need).
 */
final class VmSuspendCommands {
    private final ClusterCodec codec;
    private final VolumeCommands volumes;

    VmSuspendCommands(ClusterCodec codec, VolumeCommands volumes) {
        this.codec = codec;
        this.volumes = volumes;
    }

    Plan suspend(ClusterState state, SuspendVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Instant at = Checks.required(c.at(), "time");
        CreateVolume sv = Checks.required(c.stateVolume(), "state volume");
        Optional<VmSavedState> saved = state.vmSavedState(vm.id());
        if (saved.filter(s -> s.volumeId().equals(sv.id()) && s.requestedAt().equals(at)).isPresent()) {
            return new Plan(codec, vm.id());
        }
        if (saved.isPresent() || vm.power() == VmPower.SUSPENDED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + (vm.status() == VmStatus.SUSPENDED
                    ? " is suspended already" : " is being suspended: wait for it to finish"));
        }
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: suspend it once it has moved");
        }
        boolean runs = vm.status() == VmStatus.ACTIVE || vm.status() == VmStatus.PAUSED;
        if (!runs || vm.power() == VmPower.STOPPED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + lower(vm.status())
                    + ": only a running or paused VM can be suspended");
        }
        state.vmSnapshotRequest(vm.id())
                .filter(r -> r.pending() && r.requestedAt().plus(VmSnapshotCommands.REQUEST_TTL).isAfter(at))
                .ifPresent(r -> {
                    throw Rejection.conflict("snapshot " + Names.quote(r.name()) + " of VM " + Names.quote(vm.name())
                            + " is being taken: suspend it once the snapshot is done");
                });
        if (sv.sizeBytes() < vm.ramBytes()) {
            throw Rejection.invalid("a state volume of " + sv.sizeBytes() + " bytes cannot hold the "
                    + vm.ramBytes() + " bytes of RAM of VM " + Names.quote(vm.name()));
        }
        Plan plan = new Plan(codec, vm.id()).merge(volumes.create(state, sv));
        VmSavedState s = new VmSavedState(vm.id(), sv.id(), false, 0, vm.ramBytes(), vm.power(), at, at, null, null);
        return plan.put(ClusterState.vmSavedStateKey(vm.id()), s)
                .put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.SUSPENDED, vm.stop()));
    }

    Plan progress(ClusterState state, ReportVmSuspendProgress c) {
        Vm vm = VmRules.vm(state, c.vmId());
        fromHost(vm, c.nodeId());
        VmSavedState s = saving(state, vm);
        if (c.stateBytes() < 0) {
            throw Rejection.invalid("the bytes of state saved cannot be negative");
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmSavedStateKey(vm.id()),
                s.progress(c.stateBytes(), Checks.required(c.at(), "time")));
    }

    Plan complete(ClusterState state, CompleteVmSuspend c) {
        Vm vm = VmRules.vm(state, c.vmId());
        fromHost(vm, c.nodeId());
        Instant at = Checks.required(c.at(), "time");
        Optional<VmSavedState> done = state.vmSavedState(vm.id()).filter(VmSavedState::saved);
        if (done.filter(s -> s.stateBytes() == c.stateBytes() && at.equals(s.updatedAt())).isPresent()) {
            return new Plan(codec, vm.id());
        }
        VmSavedState s = saving(state, vm);
        long size = state.volume(s.volumeId()).map(Volume::sizeBytes).orElseThrow(() -> Rejection.conflict(
                "the state volume of VM " + Names.quote(vm.name()) + " no longer exists"));
        if (c.stateBytes() <= 0 || c.stateBytes() > size) {
            throw Rejection.invalid("saved state of " + c.stateBytes() + " bytes: it must be 1 to " + size
                    + " bytes (the state volume's size)");
        }
        if (c.saveMillis() < 0) {
            throw Rejection.invalid("the save time cannot be negative");
        }
        return new Plan(codec, vm.id())
                .put(ClusterState.vmSavedStateKey(vm.id()), s.completed(c.stateBytes(), c.saveMillis(), at))
                .put(ClusterState.vmKey(vm.id()), vm.withStatus(VmStatus.SUSPENDED, "", at));
    }

    /** The guest runs on as before (its host resumed it); the state volume goes. */
    Plan fail(ClusterState state, FailVmSuspend c) {
        Vm vm = VmRules.vm(state, c.vmId());
        fromHost(vm, c.nodeId());
        Instant at = Checks.required(c.at(), "time");
        VmStatus status = Checks.required(c.status(), "status");
        VmSavedState s = saving(state, vm);
        String why = c.reason() == null || c.reason().isBlank() ? "the host gave no reason" : c.reason();
        Plan plan = new Plan(codec, vm.id());
        discard(state, vm, plan);
        return plan.put(ClusterState.vmKey(vm.id()), vm.withDesired(s.resumePower(), vm.stop())
                .withStatus(status, "suspend failed: " + why, at));
    }

    Plan resume(ClusterState state, ResumeVm c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Checks.required(c.at(), "time");
        Optional<VmSavedState> s = state.vmSavedState(vm.id());
        if (vm.power() == VmPower.RUNNING && s.isPresent()) {
            return new Plan(codec, vm.id());
        }
        if (s.isPresent() && !s.get().saved()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is being suspended: resume it once that"
                    + " is done");
        }
        if (s.isEmpty() || vm.status() != VmStatus.SUSPENDED || vm.power() != VmPower.SUSPENDED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + lower(vm.status())
                    + ", not suspended: only a suspended VM can be resumed");
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.RUNNING, vm.stop()));
    }

    Plan finishResume(ClusterState state, FinishVmResume c) {
        Vm vm = VmRules.vm(state, c.vmId());
        fromHost(vm, c.nodeId());
        Instant at = Checks.required(c.at(), "time");
        VmSavedState s = state.vmSavedState(vm.id()).filter(VmSavedState::saved).orElseThrow(() ->
                Rejection.conflict("VM " + Names.quote(vm.name()) + " has no saved state to resume from"));
        if (vm.power() != VmPower.RUNNING) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is no longer to be resumed (desired power "
                    + lower(vm.power()) + ")");
        }
        Plan plan = new Plan(codec, vm.id());
        discard(state, vm, plan);
        String from = s.fromSnapshot() ? " bytes of snapshot " + Names.quote(state.vmSnapshot(s.snapshotId())
                .map(VmSnapshot::name).orElse(s.snapshotId())) + "'s memory" : " bytes of saved state";
        return plan.put(ClusterState.vmKey(vm.id()), vm.withStatus(VmStatus.ACTIVE, "resumed from "
                + s.stateBytes() + from + " in " + Math.max(0, c.resumeMillis()) + " ms", at));
    }

    /**
     * SetVmPower on a VM that is suspended or being suspended, or asking for SUSPENDED: a stop
     * discards the saved state (the guest is then as after a power cut: its disks as they were);
     * anything else is refused with what to do instead. Empty when the suspend rules do not apply.
     */
    static Optional<Plan> powerChange(ClusterCodec codec, ClusterState state, Vm vm, VmPower power, VmStopMode stop) {
        if (power == VmPower.SUSPENDED) {
            throw Rejection.invalid("a VM is suspended with 'keel vm suspend' (POST /api/v1/vms/{vm}/suspend),"
                    + " which also makes the volume its state is saved to");
        }
        Optional<VmSavedState> s = state.vmSavedState(vm.id());
        if (s.isEmpty() && vm.power() != VmPower.SUSPENDED) {
            return Optional.empty();
        }
        if (power == VmPower.STOPPED) {
            Plan plan = new Plan(codec, vm.id());
            discard(state, vm, plan);
            return Optional.of(plan.put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.STOPPED, stop)));
        }
        if (s.isPresent() && s.get().fromSnapshot() && vm.power() != VmPower.SUSPENDED) {
            // Reverted to a memory snapshot (ADR 0024): the start resumes the guest from its state.
            if (power == VmPower.PAUSED) {
                throw Rejection.conflict("VM " + Names.quote(vm.name()) + " resumes from the memory of a snapshot at its"
                        + " next start, which runs the guest: start it, and pause it then");
            }
            return Optional.of(new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withDesired(power, stop)));
        }
        if (s.isPresent() && !s.get().saved()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is being suspended: wait for it, then"
                    + " resume it");
        }
        throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is suspended: resume it (keel vm resume) to"
                + " continue where it left off, or stop it, which discards its saved state");
    }

    /**
     * Adds the deletion of the VM's saved state and its volume (chunks included) to {@code plan}; a
     * memory snapshot's volume stays with the snapshot (ADR 0024).
     */
    static void discard(ClusterState state, Vm vm, Plan plan) {
        state.vmSavedState(vm.id()).ifPresent(s -> {
            plan.delete(ClusterState.vmSavedStateKey(vm.id()));
            if (!s.fromSnapshot()) {
                dropVolume(state, s.volumeId(), plan);
            }
        });
    }

    /**
     * Adds the deletion of state volume {@code volumeId} and its chunks, if it exists. Its only writer
     * is a VM's host, which is done with it or gives up on it: no lease check.
     */
    static void dropVolume(ClusterState state, String volumeId, Plan plan) {
        if (volumeId == null) {
            return;
        }
        state.volume(volumeId).ifPresent(v -> {
            plan.delete(ClusterState.volumeKey(v.id()));
            for (ChunkRecord r : state.chunks(v.id())) {
                plan.delete(ClusterState.chunkKey(v.id(), r.index()));
            }
        });
    }

    /**
     * A state volume belongs to its VM's saved state, or to a memory snapshot (or the request for
     * one): not a disk, not deleted alone.
     */
    static void refuseStateVolume(ClusterState state, Volume v, String what) {
        state.vmSavedStates().stream().filter(s -> s.volumeId().equals(v.id()) && !s.fromSnapshot()).findFirst()
                .ifPresent(s -> {
                    String vm = state.vm(s.vmId()).map(Vm::name).orElse(s.vmId());
                    throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds the saved state of suspended"
                            + " VM " + Names.quote(vm) + ": it cannot be " + what + " (resume or stop the VM instead)");
                });
        state.allVmSnapshots().stream().filter(s -> v.id().equals(s.stateVolumeId())).findFirst().ifPresent(s -> {
            String vm = state.vm(s.vmId()).map(Vm::name).orElse(s.vmId());
            throw Rejection.conflict("volume " + Names.quote(v.name()) + " holds the memory of snapshot "
                    + Names.quote(s.name()) + " of VM " + Names.quote(vm) + ": it cannot be " + what
                    + " (it is deleted with the snapshot: keel vm snapshot delete)");
        });
        state.vms().stream().flatMap(vm -> state.vmSnapshotRequest(vm.id()).stream())
                .filter(r -> v.id().equals(r.stateVolumeId())).findFirst().ifPresent(r -> {
                    throw Rejection.conflict("volume " + Names.quote(v.name()) + " is receiving the memory of snapshot "
                            + Names.quote(r.name()) + ": it cannot be " + what);
                });
    }

    private static VmSavedState saving(ClusterState state, Vm vm) {
        VmSavedState s = state.vmSavedState(vm.id()).orElseThrow(() -> Rejection.conflict("VM "
                + Names.quote(vm.name()) + " is not being suspended"));
        if (s.saved() || vm.power() != VmPower.SUSPENDED) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is not being suspended (its state is "
                    + (s.saved() ? "saved already" : "to be discarded") + ")");
        }
        return s;
    }

    private static void fromHost(Vm vm, String nodeId) {
        if (!vm.nodeId().equals(Checks.required(nodeId, "reporting node"))) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + Names.quote(vm.nodeId())
                    + ", not on " + Names.quote(nodeId) + ": only its host suspends and resumes it");
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
