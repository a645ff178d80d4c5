package io.keel.compute.qemu;

import java.util.Objects;

/**
 * The accelerator a node will start its VMs with, and why, in words an administrator can act on
 * (shown per compute node, issue 5 item 1).
 */
public record AcceleratorChoice(Accelerator accelerator, AcceleratorMode mode, String reason) {
    public AcceleratorChoice {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
    }
}
