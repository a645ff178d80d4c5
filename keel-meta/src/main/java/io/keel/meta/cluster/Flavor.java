package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/**
 * A VM size preset: virtual CPUs and RAM. The bounds are QEMU's and sanity's: 256 vCPUs is far
 * above any host Keel targets and within QEMU's q35 limit; 64 MiB is below what a useful guest
 * needs (the test guest needs 80), and RAM is kept a multiple of 4 MiB so it maps onto whole
 * huge-page-friendly blocks and reads well in lists; 4 TiB is the top of what one host holds.
 */
public record Flavor(String name, int vcpus, int ramMiB) {
    public static final int MIN_VCPUS = 1;
    public static final int MAX_VCPUS = 256;
    public static final int MIN_RAM_MIB = 64;
    public static final int MAX_RAM_MIB = 4 << 20;
    public static final int RAM_STEP_MIB = 4;

    /** Installed when the compute cluster is created, unless a flavor of the same name exists. */
    public static final List<Flavor> DEFAULTS = List.of(
            new Flavor("tiny", 1, 512),
            new Flavor("small", 1, 2048),
            new Flavor("medium", 2, 4096),
            new Flavor("large", 4, 8192),
            new Flavor("xlarge", 8, 16384));

    public Flavor {
        Objects.requireNonNull(name, "name");
    }

    public long ramBytes() {
        return (long) ramMiB << 20;
    }
}
