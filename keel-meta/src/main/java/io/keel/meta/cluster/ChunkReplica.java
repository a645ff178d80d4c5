package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Where a chunk is kept: the chunk service of disk {@code diskId} on node {@code nodeId}. For a
 * replicated volume that is one whole copy ({@code fragment} null); for an erasure-coded one it is
 * fragment {@code fragment} (0 to M-1 data, M to M+N-1 parity) of the chunk's stripes. The field
 * is left out of the stored JSON when null, so records written before erasure coding read the same
 * and whole copies cost no extra bytes.
 */
public record ChunkReplica(String nodeId, String diskId, @JsonInclude(JsonInclude.Include.NON_NULL) Integer fragment) {
    public ChunkReplica {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(diskId, "diskId");
        if (fragment != null && (fragment < 0 || fragment >= Redundancy.MAX_FRAGMENTS)) {
            throw new IllegalArgumentException("fragment must be 0-" + (Redundancy.MAX_FRAGMENTS - 1) + ": " + fragment);
        }
    }

    /** A whole copy. */
    public ChunkReplica(String nodeId, String diskId) {
        this(nodeId, diskId, null);
    }

    /** The same disk, whichever fragment it holds. */
    public ChunkReplica service() {
        return fragment == null ? this : new ChunkReplica(nodeId, diskId);
    }

    @Override
    public String toString() {
        return fragment == null ? nodeId + "/" + diskId : nodeId + "/" + diskId + "#" + fragment;
    }
}
