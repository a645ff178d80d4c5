package io.keel.api.dto;

import java.time.Instant;

/**
 * A VM's running or last live migration. {@code phase}: preparing, transferring, switching,
 * completed, failed, cancelled. {@code progress}: percent of the guest's RAM sent so far (0-100).
 * {@code totalMs}: start to running on the target; {@code downtimeMs}: the switch-over as QEMU
 * measured it; {@code pauseMs}: from the guest's stop on the source to its resume on the target,
 * including the hand-over of the disks. Times are null until known.
 */
public record VmMigrationView(
        String id,
        String source,
        String sourceName,
        String target,
        String targetName,
        String phase,
        int progress,
        long ramTotalBytes,
        long ramTransferredBytes,
        long ramRemainingBytes,
        boolean cancelRequested,
        Instant startedAt,
        Instant finishedAt,
        Long totalMs,
        Long downtimeMs,
        Long pauseMs,
        String reason) {}
