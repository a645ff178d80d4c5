package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the cluster knows it. A node that joined but is not part of the storage cluster is
 * Unassigned. {@code secretHash} is the SHA-256 (hex) of the credential the node uses for
 * node-to-node calls; the credential itself is only on the node.
 */
public record NodeRecord(
        String id,
        String name,
        String address,
        int apiPort,
        int raftPort,
        String secretHash,
        Instant joinedAt,
        boolean inCluster,
        boolean maintenance,
        String rackId,
        Inventory inventory,
        Map<String, DiskRole> diskRoles) {
    public NodeRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(joinedAt, "joinedAt");
        Objects.requireNonNull(rackId, "rackId");
        Objects.requireNonNull(inventory, "inventory");
        diskRoles = Map.copyOf(diskRoles);
    }

    public DiskRole roleOf(String diskId) {
        return diskRoles.getOrDefault(diskId, DiskRole.NONE);
    }

    /** True when one of the node's disks has a metadata role: the node runs a metadata service. */
    public boolean hasMetadataRole() {
        return diskRoles.values().stream().anyMatch(DiskRole::isMetadata);
    }
}
