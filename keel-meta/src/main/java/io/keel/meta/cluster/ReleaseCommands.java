package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CancelRelease;
import io.keel.meta.cluster.ClusterCommand.ReleaseNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Releasing a node moves its data away before it leaves, like taking a Ceph OSD out. It is
 * refused up front when the rest of the cluster could not hold every policy volumes use, so a
 * release can never end with chunks that have nowhere to go.
 */
final class ReleaseCommands {
    private final ClusterCodec codec;

    ReleaseCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan release(ClusterState state, ReleaseNode c) {
        Checks.initialised(state);
        NodeRecord n = Checks.node(state, c.nodeId());
        Checks.required(c.at(), "time");
        if (!n.inCluster()) {
            throw Rejection.invalid("node " + Checks.describe(n) + " is not in the storage cluster, so it holds no data");
        }
        if (state.releasing(n.id())) {
            throw Rejection.conflict("node " + Checks.describe(n) + " is already being released");
        }
        Set<String> used = new TreeSet<>();
        // Snapshots too: their chunks need the same redundancy.
        state.allVolumeRecords().forEach(v -> used.add(v.policy()));
        for (String name : used) {
            StoragePolicy p = VolumeCommands.policy(state, name);
            Placement.unplaceable(state, p, Set.of(n.id())).ifPresent(reason -> {
                throw Rejection.conflict("releasing node " + Checks.describe(n) + " would break redundancy: without it, "
                        + reason + ". Add a node or move the volumes to another policy first");
            });
        }
        return new Plan(codec, n.id()).put(ClusterState.releaseKey(n.id()), new NodeRelease(n.id(), c.at()));
    }

    Plan cancel(ClusterState state, CancelRelease c) {
        Checks.initialised(state);
        NodeRecord n = Checks.node(state, c.nodeId());
        if (!state.releasing(n.id())) {
            throw Rejection.notFound("node " + Checks.describe(n) + " is not being released");
        }
        return new Plan(codec, n.id()).delete(ClusterState.releaseKey(n.id()));
    }
}
