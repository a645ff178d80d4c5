package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.dto.CreatePolicyRequest;
import io.keel.api.dto.PolicyView;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.FailureDomain;
import io.keel.meta.cluster.Placement;
import io.keel.meta.cluster.Redundancy;
import io.keel.meta.cluster.StoragePolicy;
import java.util.Locale;
import java.util.Objects;

/**
 * Storage policies between the API and the metadata model: requests become policies (the
 * metadata service judges the numbers and whether the cluster can place them), policies become
 * views with their redundancy and overhead.
 */
final class PolicyViews {
    private PolicyViews() {}

    /** The policy a create request asks for; only the form is checked here. */
    static StoragePolicy policy(CreatePolicyRequest request) {
        if (request == null || request.name() == null) {
            throw ApiException.invalid("a storage policy needs a name");
        }
        FailureDomain domain;
        String given = request.failureDomain() == null ? "host" : request.failureDomain();
        try {
            domain = FailureDomain.valueOf(given.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("unknown failure domain '" + given + "': use disk, host, rack, row or room");
        }
        int tier = request.tier() == null ? 0 : request.tier();
        if (request.ec() == null) {
            return new StoragePolicy(request.name(), tier, domain, request.replicas() == null ? 3 : request.replicas());
        }
        if (request.replicas() != null) {
            throw ApiException.invalid("give either replicas or ec (erasure coding M+N), not both");
        }
        Redundancy.ErasureCoded ec;
        try {
            ec = Redundancy.ErasureCoded.parse(request.ec());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        return StoragePolicy.erasureCoded(request.name(), tier, domain, ec.data(), ec.parity());
    }

    static PolicyView view(ClusterState state, StoragePolicy p) {
        Objects.requireNonNull(p, "policy");
        int domains = Placement.domains(state, p.tier(), p.failureDomain()).size();
        return new PolicyView(p.name(), p.tier(), p.failureDomain().label(), p.replicas(), p.redundancy().label(),
                p.overhead(), domains, domains >= p.pieces(), p.erasureCoded() ? p.ec().mode() : null, p.pieces(),
                true);
    }

    /**
     * Raw space a volume of {@code sizeBytes} takes once fully written, rounded up: an estimate
     * administrators plan capacity by should not fall short.
     */
    static long rawBytes(long sizeBytes, StoragePolicy policy) {
        return (long) Math.ceil(sizeBytes * policy.overhead());
    }
}
