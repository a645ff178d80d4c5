package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.DeletePolicy;
import java.util.List;

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
        if (p.erasureCoded() && p.replicas() != 0) {
            throw Rejection.invalid("a policy has either replicas or erasure coding, not both (got " + p.replicas()
                    + " replicas and EC " + p.ec().mode() + ")");
        }
        p.redundancy().problem().ifPresent(reason -> {
            throw Rejection.invalid(reason);
        });
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
        // Data under a deleted policy would have no placement rules left to heal or move it by.
        List<String> users = state.allVolumeRecords().stream().filter(v -> v.policy().equals(name))
                .map(v -> v.isSnapshot()
                        ? state.volume(v.snapshotOf()).map(Volume::name).orElse(v.snapshotOf()) + "@" + v.name()
                        : v.name())
                .sorted().toList();
        if (!users.isEmpty()) {
            throw Rejection.conflict("storage policy " + Names.quote(name) + " is used by " + users.size()
                    + (users.size() == 1 ? " volume or snapshot: " : " volumes and snapshots: ")
                    + String.join(", ", users.subList(0, Math.min(10, users.size())))
                    + (users.size() > 10 ? ", ..." : "")
                    + "; give them another policy (keel volume set-policy) or delete them first");
        }
        if (state.s3().cluster().filter(s3 -> s3.policy().equals(name)).isPresent()) {
            throw Rejection.conflict("storage policy " + Names.quote(name) + " holds the S3 cluster's object data;"
                    + " delete the S3 cluster first");
        }
        return new Plan(codec, name).delete(ClusterState.policyKey(name));
    }
}
