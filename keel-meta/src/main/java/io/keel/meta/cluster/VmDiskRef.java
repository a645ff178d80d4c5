package io.keel.meta.cluster;

import java.util.Objects;

/**
 * One disk of a VM: a volume, and whether deleting the VM may delete it too (the volumes made
 * with the VM are its own; an existing volume the administrator attached is not).
 *
 * @param slot      the disk's place in the machine: its guest device and hot-plug port, kept for
 *                  the disk's life so a running guest, a migration target and a restart all see
 *                  the same machine; the boot disk has slot 0. Null only in records made before
 *                  slots existed and in commands, where {@link Vm} assigns it
 * @param detaching a detach was asked while the VM may run: the host unplugs the device from the
 *                  guest and then removes the disk; until then the volume stays the VM's
 */
public record VmDiskRef(String volumeId, boolean ownedByVm, Integer slot, boolean detaching) {
    public VmDiskRef {
        Objects.requireNonNull(volumeId, "volumeId");
    }

    /** A disk not yet given a slot. */
    public VmDiskRef(String volumeId, boolean ownedByVm) {
        this(volumeId, ownedByVm, null, false);
    }

    public VmDiskRef inSlot(int s) {
        return new VmDiskRef(volumeId, ownedByVm, s, detaching);
    }

    public VmDiskRef markDetaching() {
        return new VmDiskRef(volumeId, ownedByVm, slot, true);
    }
}
