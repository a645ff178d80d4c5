package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The cluster as a whole. The storage cluster exists once {@code storageClusterName} is set;
 * before that the nodes form a management cluster only.
 */
public record ClusterInfo(
        String id,
        Instant createdAt,
        String managementNodeId,
        String storageClusterName,
        Instant storageClusterCreatedAt,
        boolean encryption) {
    public ClusterInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(managementNodeId, "managementNodeId");
    }

    public boolean hasStorageCluster() {
        return storageClusterName != null;
    }
}
