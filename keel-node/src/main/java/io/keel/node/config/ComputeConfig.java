package io.keel.node.config;

import io.keel.compute.qemu.AcceleratorMode;
import java.util.Objects;

/**
 * The compute side of a node.
 *
 * @param accelerator {@code auto} lets the node detect whether KVM is usable (see keel-compute's
 *     AcceleratorDetector); {@code kvm} or {@code tcg} overrides detection, e.g. to force TCG on a
 *     machine whose KVM hangs guests in a way detection cannot see
 */
public record ComputeConfig(AcceleratorMode accelerator) {
    public ComputeConfig {
        Objects.requireNonNull(accelerator, "accelerator");
    }

    public static ComputeConfig defaults() {
        return new ComputeConfig(AcceleratorMode.AUTO);
    }
}
