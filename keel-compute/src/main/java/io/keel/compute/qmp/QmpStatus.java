package io.keel.compute.qmp;

import java.util.Objects;

/**
 * What {@code query-status} says: QEMU's run state ({@code prelaunch}, {@code running},
 * {@code paused}, {@code shutdown}, {@code suspended}, {@code inmigrate}, {@code postmigrate},
 * {@code internal-error}, {@code io-error}, {@code guest-panicked}, ...) and whether the vCPUs run.
 * The state is kept as QEMU's string because QEMU adds states between releases.
 */
public record QmpStatus(String status, boolean running) {
    public QmpStatus {
        Objects.requireNonNull(status, "status");
    }
}
