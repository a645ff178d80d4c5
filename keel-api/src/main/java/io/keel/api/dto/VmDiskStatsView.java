package io.keel.api.dto;

/** One VM disk's I/O since its QEMU started: {@code disk} is the guest's device (disk0 = boot disk). */
public record VmDiskStatsView(String disk, String volume, long readBytes, long writeBytes, long readOps,
        long writeOps) {}
