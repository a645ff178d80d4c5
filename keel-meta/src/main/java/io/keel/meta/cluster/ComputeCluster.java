package io.keel.meta.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The compute cluster: the nodes that run VMs. One per Keel cluster, like the storage cluster.
 * Only membership is stored; capacity and the accelerator come from each node's
 * {@link Inventory}, and liveness from heartbeats, so neither can go stale here.
 *
 * @param nodeIds sorted, distinct, never empty
 */
public record ComputeCluster(Instant createdAt, List<String> nodeIds) {
    public ComputeCluster {
        Objects.requireNonNull(createdAt, "createdAt");
        nodeIds = nodeIds.stream().sorted().distinct().toList();
    }

    public boolean contains(String nodeId) {
        return nodeIds.contains(nodeId);
    }
}
