package io.keel.api.dto;

/**
 * One VM disk: its volume, size, and whether the VM owns it (deleted with the VM on request).
 * {@code slot}: its fixed place in the machine (0 is the boot disk); {@code state}: "attached", or
 * "detaching" while a running guest is being asked to release it.
 */
public record VmDiskView(String volumeId, String volume, long sizeBytes, boolean boot, boolean ownedByVm, int slot,
        String state) {}
