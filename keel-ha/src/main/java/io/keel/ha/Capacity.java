package io.keel.ha;

/**
 * An amount of the two resources placement respects: RAM in MiB and virtual CPUs. Used both for
 * what a node offers and for what a resource needs; a resource that needs nothing (a virtual IP)
 * has {@link #NONE}.
 */
public record Capacity(long memMiB, int vcpus) {
    public static final Capacity NONE = new Capacity(0, 0);

    public Capacity {
        if (memMiB < 0 || vcpus < 0) {
            throw new IllegalArgumentException("capacity cannot be negative: " + memMiB + " MiB, " + vcpus + " vCPUs");
        }
    }

    public Capacity plus(Capacity other) {
        return new Capacity(memMiB + other.memMiB, vcpus + other.vcpus);
    }

    /** What is left of this after {@code other}, which may be negative on an overcommitted node. */
    public long memLeft(Capacity other) {
        return memMiB - other.memMiB;
    }

    public int vcpusLeft(Capacity other) {
        return vcpus - other.vcpus;
    }

    public boolean isNone() {
        return memMiB == 0 && vcpus == 0;
    }

    @Override
    public String toString() {
        return memMiB + " MiB/" + vcpus + " vCPU";
    }
}
