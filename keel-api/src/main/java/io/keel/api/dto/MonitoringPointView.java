package io.keel.api.dto;

import java.time.Instant;

/**
 * One point of the monitoring history, the start of its step: volume I/O as rates per second
 * averaged over the step, chunk services up of total (the fewest up during the step), and space in
 * bytes. Physical space is the chunk services' disks, logical the volumes' allocated and
 * provisioned sizes.
 */
public record MonitoringPointView(Instant t, double readOps, double writeOps, double readBytes, double writeBytes,
        int chunkServicesUp, int chunkServicesTotal, long physicalUsedBytes, long physicalTotalBytes,
        long logicalUsedBytes, long logicalProvisionedBytes) {}
