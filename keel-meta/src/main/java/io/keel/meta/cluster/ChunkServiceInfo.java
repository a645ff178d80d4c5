package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the chunk service of one storage disk listens, and the space it reported last. Nodes
 * register their services when they start them and refresh the figures now and then, so that
 * placement can prefer emptier disks without asking every service.
 */
public record ChunkServiceInfo(
        String nodeId,
        String diskId,
        String host,
        int port,
        long capacityBytes,
        long freeBytes,
        Instant updatedAt) {
    public ChunkServiceInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(diskId, "diskId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public ChunkReplica replica() {
        return new ChunkReplica(nodeId, diskId);
    }

    /** Share of the disk in use, 0 to 1; a disk that reported no capacity counts as full. */
    public double usedFraction() {
        return capacityBytes <= 0 ? 1.0 : 1.0 - Math.max(0, Math.min(freeBytes, capacityBytes)) / (double) capacityBytes;
    }
}
