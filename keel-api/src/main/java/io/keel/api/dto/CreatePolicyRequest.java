package io.keel.api.dto;

/**
 * {@code failureDomain} is disk, host, rack, row or room (default host); {@code tier} defaults
 * to 0. Redundancy is either {@code replicas} (1-3) or {@code ec}, erasure coding written "M+N"
 * such as "5+2" (ADR 0048), never both; with neither the policy keeps 3 replicas.
 */
public record CreatePolicyRequest(String name, Integer tier, String failureDomain, Integer replicas, String ec) {

    /** A replicated policy (the request before erasure coding). */
    public CreatePolicyRequest(String name, Integer tier, String failureDomain, Integer replicas) {
        this(name, tier, failureDomain, replicas, null);
    }
}
