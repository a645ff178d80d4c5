package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A VM's running or last live migration (ADR 0019), kept on the VM so that its result stays
 * visible after it ended.
 *
 * @param id              chosen by the API, so a step reported for an earlier migration is recognised
 * @param sourceNodeId    the host when it started; the VM stays there unless it completes
 * @param targetNodeId    where it goes
 * @param incoming        {@code host:port} where the target's QEMU waits for the state, once ready
 * @param ramTotalBytes   guest RAM as QEMU counts it, from the source's progress reports
 * @param ramTransferredBytes RAM sent so far (dirtied pages are sent again, so it can pass the total)
 * @param ramRemainingBytes   RAM still to send in this pass
 * @param cancelRequested the administrator asked to cancel; the source's agent carries it out
 * @param stoppedAt       when the source's guest stopped for the switch-over (QEMU's clock)
 * @param downtimeMs      the downtime QEMU reported for the switch-over, or null
 * @param pauseMs         from the source's stop to the target's resume, or null: the pause the
 *                        guest really saw, including handing over the disks
 * @param totalMs         from the start to the guest running on the target, or null
 * @param reason          why it failed or was cancelled, or ""
 * @param maxBandwidth    the transfer's limit in bytes per second, or null for Keel's default (a
 *                        migration that must not crowd out other traffic on the nodes' network)
 */
public record VmMigration(
        String id,
        String sourceNodeId,
        String targetNodeId,
        MigrationPhase phase,
        String incoming,
        long ramTotalBytes,
        long ramTransferredBytes,
        long ramRemainingBytes,
        boolean cancelRequested,
        Instant startedAt,
        Instant updatedAt,
        Instant stoppedAt,
        Instant finishedAt,
        Long downtimeMs,
        Long pauseMs,
        Long totalMs,
        String reason,
        Long maxBandwidth) {

    public VmMigration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceNodeId, "sourceNodeId");
        Objects.requireNonNull(targetNodeId, "targetNodeId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        reason = reason == null ? "" : reason;
    }

    static VmMigration start(String id, String source, String target, Instant at, Long maxBandwidth) {
        return new VmMigration(id, source, target, MigrationPhase.PREPARING, null, 0, 0, 0, false, at, at, null, null,
                null, null, null, "", maxBandwidth);
    }

    public boolean active() {
        return phase.active();
    }

    VmMigration ready(String incomingAddress, Instant at) {
        return new VmMigration(id, sourceNodeId, targetNodeId, MigrationPhase.TRANSFERRING, incomingAddress,
                ramTotalBytes, ramTransferredBytes, ramRemainingBytes, cancelRequested, startedAt, at, stoppedAt,
                finishedAt, downtimeMs, pauseMs, totalMs, reason, maxBandwidth);
    }

    VmMigration progress(long total, long transferred, long remaining, Instant at) {
        return new VmMigration(id, sourceNodeId, targetNodeId, phase, incoming, total, transferred, remaining,
                cancelRequested, startedAt, at, stoppedAt, finishedAt, downtimeMs, pauseMs, totalMs, reason, maxBandwidth);
    }

    VmMigration cancelRequested(Instant at) {
        return new VmMigration(id, sourceNodeId, targetNodeId, phase, incoming, ramTotalBytes, ramTransferredBytes,
                ramRemainingBytes, true, startedAt, at, stoppedAt, finishedAt, downtimeMs, pauseMs, totalMs, reason, maxBandwidth);
    }

    VmMigration switching(Instant sourceStoppedAt, Long qemuDowntimeMs, Instant at) {
        return new VmMigration(id, sourceNodeId, targetNodeId, MigrationPhase.SWITCHING, incoming, ramTotalBytes,
                ramTransferredBytes, 0, cancelRequested, startedAt, at, sourceStoppedAt, finishedAt, qemuDowntimeMs,
                pauseMs, totalMs, reason, maxBandwidth);
    }

    VmMigration completed(Instant resumedAt, Instant at) {
        Long pause = stoppedAt == null || resumedAt == null ? null
                : Math.max(0, resumedAt.toEpochMilli() - stoppedAt.toEpochMilli());
        long total = Math.max(0, (resumedAt == null ? at : resumedAt).toEpochMilli() - startedAt.toEpochMilli());
        return new VmMigration(id, sourceNodeId, targetNodeId, MigrationPhase.COMPLETED, incoming, ramTotalBytes,
                ramTransferredBytes, 0, cancelRequested, startedAt, at, stoppedAt, at, downtimeMs, pause, total, "", maxBandwidth);
    }

    VmMigration ended(MigrationPhase end, String why, Instant at) {
        return new VmMigration(id, sourceNodeId, targetNodeId, end, incoming, ramTotalBytes, ramTransferredBytes,
                ramRemainingBytes, cancelRequested, startedAt, at, stoppedAt, at, downtimeMs, pauseMs, totalMs, why, maxBandwidth);
    }
}
