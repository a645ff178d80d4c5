package io.keel.meta.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A virtual machine as the cluster records it. Two halves, written by different parties:
 * <ul>
 *   <li>what the administrator asked for: size, disks, host node, placement strategy and the
 *       desired {@code power} state, changed through the API;</li>
 *   <li>what the host node's agent last saw: {@code status} and its reason, reported by that
 *       node only (so a node that lost the VM cannot overwrite what its new host reports).</li>
 * </ul>
 * The agent on {@code nodeId} turns the first into the second (start, stop, pause QEMU), so an
 * action is a change of desired state that survives the agent's restart and is carried out on the
 * node where the VM runs, whichever node's API received it.
 *
 * @param vcpus     copied from the flavor when the VM was created or resized, so deleting or
 *                  changing a flavor never changes a VM
 * @param disks     in the guest's bus order; the first is the boot disk
 * @param imageId   the image the boot disk was made from, or null
 * @param stop      how the next stop is done: graceful with a timeout, or at once
 * @param rebootSeq raised by every reboot request; the agent reboots when it is above what it has
 *                  carried out, so a request is neither lost nor repeated across agent restarts
 * @param migration the running or last live migration, or null (records written before migration
 *                  existed have none)
 * @param nics      network interfaces, in slot order of attachment (ADR 0023)
 * @param cdromImageId the ISO image in the VM's CD-ROM drive, or null when it is empty (ADR 0025);
 *                  the VM boots from it first
 */
public record Vm(
        String id,
        String name,
        String flavor,
        int vcpus,
        int ramMiB,
        List<VmDiskRef> disks,
        String nodeId,
        VmPlacement placement,
        VmPower power,
        VmStopMode stop,
        long rebootSeq,
        boolean rebootHard,
        VmStatus status,
        String statusReason,
        String imageId,
        Instant createdAt,
        Instant statusAt,
        VmMigration migration,
        List<VmNic> nics,
        String cdromImageId) {

    public Vm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        disks = withSlots(Objects.requireNonNull(disks, "disks"));
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(power, "power");
        stop = stop == null ? VmStopMode.graceful(VmStopMode.DEFAULT_TIMEOUT_SECONDS) : stop;
        Objects.requireNonNull(status, "status");
        statusReason = statusReason == null ? "" : statusReason;
        nics = nics == null ? List.of() : List.copyOf(nics);
    }

    /** A VM without NICs. */
    public Vm(String id, String name, String flavor, int vcpus, int ramMiB, List<VmDiskRef> disks, String nodeId,
            VmPlacement placement, VmPower power, VmStopMode stop, long rebootSeq, boolean rebootHard, VmStatus status,
            String statusReason, String imageId, Instant createdAt, Instant statusAt, VmMigration migration) {
        this(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard, status,
                statusReason, imageId, createdAt, statusAt, migration, List.of(), null);
    }

    public Vm withCdrom(String isoImageId) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, isoImageId);
    }

    public Vm withNics(List<VmNic> n) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, n, cdromImageId);
    }

    /** The lowest NIC slot no NIC has. */
    public int freeNicSlot() {
        int s = 0;
        while (true) {
            int candidate = s;
            if (nics.stream().noneMatch(n -> n.slot() == candidate)) {
                return s;
            }
            s++;
        }
    }

    /** Gives every disk without a slot the lowest free one, in list order. */
    private static List<VmDiskRef> withSlots(List<VmDiskRef> disks) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        disks.forEach(d -> {
            if (d != null && d.slot() != null) {
                taken.add(d.slot());
            }
        });
        List<VmDiskRef> out = new java.util.ArrayList<>(disks.size());
        for (VmDiskRef d : disks) {
            Objects.requireNonNull(d, "disk");
            if (d.slot() == null) {
                int s = 0;
                while (taken.contains(s)) {
                    s++;
                }
                taken.add(s);
                d = d.inSlot(s);
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    /** The lowest slot no disk has. */
    public int freeSlot() {
        int s = 0;
        while (true) {
            int candidate = s;
            if (disks.stream().noneMatch(d -> d.slot() == candidate)) {
                return s;
            }
            s++;
        }
    }

    public java.util.Optional<VmDiskRef> disk(String volumeId) {
        return disks.stream().filter(d -> d.volumeId().equals(volumeId)).findFirst();
    }

    public long ramBytes() {
        return (long) ramMiB << 20;
    }

    public boolean uses(String volumeId) {
        return disks.stream().anyMatch(d -> d.volumeId().equals(volumeId));
    }

    public Vm withDesired(VmPower p, VmStopMode s) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, p, s, rebootSeq, rebootHard, status,
                statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withReboot(boolean hard) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq + 1, hard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withStatus(VmStatus s, String reason, Instant at) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard, s,
                reason, imageId, createdAt, at, migration, nics, cdromImageId);
    }

    public Vm withName(String n) {
        return new Vm(id, n, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withSize(String f, int cpus, int ram) {
        return new Vm(id, name, f, cpus, ram, disks, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withDisks(List<VmDiskRef> d) {
        return new Vm(id, name, flavor, vcpus, ramMiB, d, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withMigration(VmMigration m) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, m, nics, cdromImageId);
    }

    /** The switch-over of a live migration: the VM's host becomes {@code node}. */
    public Vm withNode(String node) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, node, placement, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    public Vm withPlacement(VmPlacement p) {
        return new Vm(id, name, flavor, vcpus, ramMiB, disks, nodeId, p, power, stop, rebootSeq, rebootHard,
                status, statusReason, imageId, createdAt, statusAt, migration, nics, cdromImageId);
    }

    /** A live migration is under way (started and not yet finished, failed or cancelled). */
    public boolean migrating() {
        return migration != null && migration.active();
    }
}
