package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AttachVmVolume;
import io.keel.meta.cluster.ClusterCommand.DetachVmVolume;
import io.keel.meta.cluster.ClusterCommand.ReportVmDiskDetached;
import java.util.ArrayList;
import java.util.List;

/**
 * Disks added to and taken off a VM after it was made (ADR 0022). The record is the desired
 * machine: an attached disk is plugged in by the host's agent if QEMU runs, or is there at the next
 * start. A detach of a VM that may run only marks the disk, because the volume is the guest's until
 * the guest lets go of the device; the host then reports it gone and the disk leaves the record.
 */
final class VmDiskCommands {
    private final ClusterCodec codec;
    private final VolumeCommands volumes;

    VmDiskCommands(ClusterCodec codec, VolumeCommands volumes) {
        this.codec = codec;
        this.volumes = volumes;
    }

    Plan attach(ClusterState state, AttachVmVolume c) {
        Vm vm = VmRules.vm(state, c.vmId());
        refuseWhileMigrating(vm, "attached");
        refuseWhileStateSaved(state, vm, "attach disks");
        Plan plan = new Plan(codec, vm.id());
        boolean owned = false;
        if (c.newVolume() != null) {
            if (!c.newVolume().id().equals(c.volumeId())) {
                throw Rejection.invalid("the new volume must be the one attached");
            }
            plan.merge(volumes.create(state, c.newVolume()));
            owned = true;
        } else {
            if (vm.uses(Checks.required(c.volumeId(), "volume id"))) {
                throw Rejection.conflict("volume " + Names.quote(c.volumeId()) + " is already a disk of VM "
                        + Names.quote(vm.name()));
            }
            VmRules.attachable(state, c.volumeId(), null);
        }
        if (vm.disks().size() >= VmCommands.MAX_DISKS) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " has " + vm.disks().size()
                    + " disks, the most a VM can have: detach one first");
        }
        List<VmDiskRef> disks = new ArrayList<>(vm.disks());
        disks.add(new VmDiskRef(c.volumeId(), owned).inSlot(vm.freeSlot()));
        return plan.put(ClusterState.vmKey(vm.id()), vm.withDisks(disks));
    }

    Plan detach(ClusterState state, DetachVmVolume c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmDiskRef disk = disk(vm, c.volumeId());
        if (disk.slot() == 0) {
            throw Rejection.invalid("volume " + Names.quote(c.volumeId()) + " is the boot disk of VM "
                    + Names.quote(vm.name()) + ": it stays while the VM exists (delete the VM to free it)");
        }
        refuseWhileMigrating(vm, "detached");
        refuseWhileStateSaved(state, vm, "detach disks");
        Plan plan = new Plan(codec, vm.id());
        if (disk.detaching()) {
            return plan;
        }
        List<VmDiskRef> disks = new ArrayList<>();
        for (VmDiskRef d : vm.disks()) {
            if (d != disk) {
                disks.add(d);
            } else if (mayHoldDisks(vm)) {
                disks.add(d.markDetaching());
            }
        }
        return plan.put(ClusterState.vmKey(vm.id()), vm.withDisks(disks));
    }

    Plan detached(ClusterState state, ReportVmDiskDetached c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (!vm.nodeId().equals(c.nodeId())) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + Names.quote(vm.nodeId())
                    + ", not on " + Names.quote(c.nodeId()) + ": only its host reports its disks");
        }
        VmDiskRef disk = disk(vm, c.volumeId());
        if (!disk.detaching()) {
            throw Rejection.conflict("volume " + Names.quote(c.volumeId()) + " is not being detached from VM "
                    + Names.quote(vm.name()));
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), withoutDetaching(vm));
    }

    /** Any time: a running guest sees the medium change, as when a disc is swapped. */
    Plan setCdrom(ClusterState state, ClusterCommand.SetVmCdrom c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: change its CD once it is done");
        }
        String iso = c.imageId() == null ? null : isoImage(state, c.imageId()).id();
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withCdrom(iso));
    }

    /** An active ISO image: what a CD-ROM drive takes. */
    static Image isoImage(ClusterState state, String imageId) {
        Image i = Checks.found(state.image(imageId), "no image " + Names.quote(imageId));
        if (i.format() != ImageFormat.ISO) {
            throw Rejection.invalid("image " + Names.quote(i.name()) + " is " + (i.format() == null ? "of unknown format"
                    : "a " + i.format().label() + " image") + ", not an ISO: a CD-ROM drive takes ISO images");
        }
        if (i.status() != ImageStatus.ACTIVE || i.snapshotId() == null) {
            throw Rejection.conflict("image " + Names.quote(i.name()) + " is " + i.status().name().toLowerCase(
                    java.util.Locale.ROOT) + ", not ready");
        }
        return i;
    }

    /** Disks marked detaching leave with the QEMU that held them: a stopped machine has no devices. */
    static Vm withoutDetaching(Vm vm) {
        return vm.disks().stream().noneMatch(VmDiskRef::detaching) ? vm
                : vm.withDisks(vm.disks().stream().filter(d -> !d.detaching()).toList());
    }

    /** A QEMU may hold the VM's disks: desired to run, or not yet reported stopped. */
    private static boolean mayHoldDisks(Vm vm) {
        return vm.power() != VmPower.STOPPED || VmRules.mayRun(vm.status());
    }

    private static VmDiskRef disk(Vm vm, String volumeId) {
        Checks.required(volumeId, "volume id");
        return vm.disk(volumeId).orElseThrow(() -> Rejection.notFound("volume " + Names.quote(volumeId)
                + " is not a disk of VM " + Names.quote(vm.name())));
    }

    /**
     * A VM with a saved machine state (suspended, or reverted to a memory snapshot) must find the
     * same devices when it resumes: QEMU cannot load a state into a different machine.
     */
    static void refuseWhileStateSaved(ClusterState state, Vm vm, String what) {
        if (state.vmSavedState(vm.id()).isPresent()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " has a saved machine state (suspended, or"
                    + " reverted to a memory snapshot): " + what + " once it runs again, or stop it, which discards"
                    + " the state");
        }
    }

    private static void refuseWhileMigrating(Vm vm, String what) {
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating: disks are " + what
                    + " once it is done (or cancel it: keel vm migrate " + vm.name() + " --cancel)");
        }
    }
}
