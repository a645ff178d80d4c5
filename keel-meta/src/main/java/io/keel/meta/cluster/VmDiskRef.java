package io.keel.meta.cluster;

import java.util.Objects;

/**
 * One disk of a VM: a volume, and whether deleting the VM may delete it too (the volumes made
 * with the VM are its own; an existing volume the administrator attached is not).
 */
public record VmDiskRef(String volumeId, boolean ownedByVm) {
    public VmDiskRef {
        Objects.requireNonNull(volumeId, "volumeId");
    }
}
