package io.keel.storage.volume;

import java.util.Objects;

/** One copy of a chunk: the chunk service of disk {@code diskId} on node {@code nodeId}. */
public record ReplicaRef(String nodeId, String diskId) {
    public ReplicaRef {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(diskId, "diskId");
    }

    @Override
    public String toString() {
        return nodeId + "/" + diskId;
    }
}
