package io.keel.meta.cluster;

import java.util.Objects;

/**
 * The accelerator a node will run its VMs with, as the node decided it at start: {@code accelerator}
 * is "kvm" or "tcg", {@code mode} the configured setting ("auto", "kvm" or "tcg"), {@code reason}
 * why, in words an administrator can act on. Plain strings rather than keel-compute's enums because
 * the metadata model must not depend on the hypervisor code, and the node is the only judge.
 */
public record AcceleratorReport(String accelerator, String mode, String reason) {
    public AcceleratorReport {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
    }
}
