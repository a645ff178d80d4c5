package io.keel.meta.cluster;

import java.util.Objects;

/** One copy of a chunk: the chunk service of disk {@code diskId} on node {@code nodeId}. */
public record ChunkReplica(String nodeId, String diskId) {
    public ChunkReplica {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(diskId, "diskId");
    }

    @Override
    public String toString() {
        return nodeId + "/" + diskId;
    }
}
