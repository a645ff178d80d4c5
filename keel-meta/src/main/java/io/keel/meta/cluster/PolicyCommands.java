package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.DeletePolicy;

/** Storage policies: created only when the cluster can place them, so a volume never waits on one. */
final class PolicyCommands {
    private final ClusterCodec codec;

    PolicyCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreatePolicy c) {
        ClusterInfo info = Checks.initialised(state);
        if (!info.hasStorageCluster()) {
            throw Rejection.invalid("there is no storage cluster yet: create the storage cluster first");
        }
        StoragePolicy p = Checks.required(c.policy(), "policy");
        Checks.valid(Names.validatePolicyName(p.name()));
        if (p.tier() < 0 || p.tier() > 3) {
            throw Rejection.invalid("tier must be 0-3, got " + p.tier());
        }
        if (p.replicas() < 1 || p.replicas() > StoragePolicy.MAX_REPLICAS) {
            throw Rejection.invalid("replicas must be 1-" + StoragePolicy.MAX_REPLICAS + ", got " + p.replicas()
                    + " (erasure coding is a separate redundancy mode)");
        }
        state.policy(p.name()).ifPresent(existing -> {
            throw Rejection.conflict("storage policy " + Names.quote(p.name()) + " already exists");
        });
        Placement.unplaceable(state, p).ifPresent(reason -> {
            throw Rejection.invalid(reason);
        });
        return new Plan(codec, p.name()).put(ClusterState.policyKey(p.name()), p);
    }

    Plan delete(ClusterState state, DeletePolicy c) {
        Checks.initialised(state);
        String name = Checks.required(c.name(), "policy name");
        Checks.found(state.policy(name), "no storage policy " + Names.quote(name));
        return new Plan(codec, name).delete(ClusterState.policyKey(name));
    }
}
