package io.keel.meta.cluster;

import java.util.Objects;

/**
 * Where and how redundantly a volume's chunks are stored: on storage disks of {@code tier},
 * {@code replicas} copies of each chunk, no two in one {@code failureDomain}. Placement counts
 * "pieces" rather than replicas so that erasure coding (M+N pieces per stripe, issue 9) can join
 * without changing the placement rules.
 */
public record StoragePolicy(String name, int tier, FailureDomain failureDomain, int replicas) {
    public static final int MAX_REPLICAS = 3;

    public StoragePolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(failureDomain, "failureDomain");
    }

    /** Pieces of each chunk that need distinct failure domains. */
    public int pieces() {
        return replicas;
    }

    /** Raw space used per byte of data. */
    public double overhead() {
        return replicas;
    }
}
