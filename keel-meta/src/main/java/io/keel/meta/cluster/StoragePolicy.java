package io.keel.meta.cluster;

import io.keel.meta.cluster.Redundancy.ErasureCoded;
import io.keel.meta.cluster.Redundancy.Replicated;
import java.util.Objects;

/**
 * Where and how redundantly data is stored: on storage disks of {@code tier}, no two pieces of a
 * chunk in one {@code failureDomain}, with the {@link #redundancy()} the policy names. Placement
 * counts {@link #pieces()} rather than replicas, so replicated and erasure-coded policies follow
 * the same rules.
 *
 * <p>The stored JSON keeps {@code replicas} and adds {@code ec} (null for a replicated policy):
 * records written before erasure coding have no {@code ec} and decode as replicated ones, which
 * the strict codec allows because the field is only ever added and nullable (ADR 0048). An
 * erasure-coded policy has {@code replicas} 0, so code that still reads {@code replicas()} sees
 * that it is not a replica count; use {@link #redundancy()} instead.
 *
 * @param replicas copies of each chunk for a replicated policy, 0 for an erasure-coded one
 * @param ec the erasure coding M+N, or null for a replicated policy
 */
public record StoragePolicy(String name, int tier, FailureDomain failureDomain, int replicas, ErasureCoded ec) {
    public static final int MAX_REPLICAS = Replicated.MAX_COPIES;

    public StoragePolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(failureDomain, "failureDomain");
    }

    /** A replicated policy: {@code replicas} copies of each chunk. */
    public StoragePolicy(String name, int tier, FailureDomain failureDomain, int replicas) {
        this(name, tier, failureDomain, replicas, null);
    }

    /** An erasure-coded policy: {@code data}+{@code parity} fragments of each stripe. */
    public static StoragePolicy erasureCoded(String name, int tier, FailureDomain failureDomain, int data, int parity) {
        return new StoragePolicy(name, tier, failureDomain, 0, new ErasureCoded(data, parity));
    }

    public Redundancy redundancy() {
        return ec == null ? new Replicated(replicas) : ec;
    }

    /** True for M+N policies, which hold plain volumes only (ADR 0051). */
    public boolean erasureCoded() {
        return ec != null;
    }

    /** Pieces of each chunk that need distinct failure domains. */
    public int pieces() {
        return redundancy().pieces();
    }

    /** Raw space used per byte of data. */
    public double overhead() {
        return redundancy().overhead();
    }
}
