package io.keel.api.dto;

import java.time.Instant;

/**
 * One point of the monitoring history, the start of its step: volume I/O as rates per second
 * averaged over the step, chunk services up of total (the fewest up during the step), and space in
 * bytes. Physical space is the chunk services' disks, logical the volumes' allocated and
 * provisioned sizes. Rebuild bytes and the S3 gateways' requests and body bytes are rates per
 * second too (ADR 0053's amendment); points written before they were kept read as 0.
 */
public record MonitoringPointView(Instant t, double readOps, double writeOps, double readBytes, double writeBytes,
        int chunkServicesUp, int chunkServicesTotal, long physicalUsedBytes, long physicalTotalBytes,
        long logicalUsedBytes, long logicalProvisionedBytes, double rebuildBytes, double s3Requests,
        double s3BytesIn, double s3BytesOut) {}
