package io.keel.api.dto;

/** One VM disk: its volume, size, and whether the VM owns it (deleted with the VM on request). */
public record VmDiskView(String volumeId, String volume, long sizeBytes, boolean boot, boolean ownedByVm) {}
