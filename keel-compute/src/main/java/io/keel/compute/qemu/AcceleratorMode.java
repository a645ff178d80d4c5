package io.keel.compute.qemu;

import java.util.Locale;
import java.util.Objects;

/** The administrator's setting: detect ({@code auto}), or insist on {@code kvm} or {@code tcg}. */
public enum AcceleratorMode {
    AUTO,
    KVM,
    TCG;

    /** Parses the configuration value {@code auto}, {@code kvm} or {@code tcg} (any case). */
    public static AcceleratorMode parse(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "kvm" -> KVM;
            case "tcg" -> TCG;
            default -> throw new IllegalArgumentException("accelerator must be auto, kvm or tcg, not '" + value + "'");
        };
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
