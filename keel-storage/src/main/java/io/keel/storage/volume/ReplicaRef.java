package io.keel.storage.volume;

import java.util.Objects;

/**
 * Where a chunk is kept: the chunk service of disk {@code diskId} on node {@code nodeId}. For a
 * replicated volume that is one whole copy ({@code fragment} {@link #WHOLE}); for an
 * erasure-coded one it is fragment {@code fragment} (0 to M-1 data, M to M+N-1 parity) of the
 * chunk's stripes, stored under {@link ErasureShape#fragmentId}.
 */
public record ReplicaRef(String nodeId, String diskId, int fragment) {
    /** The {@code fragment} of a whole copy. */
    public static final int WHOLE = -1;

    public ReplicaRef {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(diskId, "diskId");
        if (fragment < WHOLE || fragment >= ErasureShape.MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragment must be -1 (a whole copy) or 0-"
                    + (ErasureShape.MAX_FRAGMENTS - 1) + ": " + fragment);
        }
    }

    /** A whole copy. */
    public ReplicaRef(String nodeId, String diskId) {
        this(nodeId, diskId, WHOLE);
    }

    public ReplicaRef withFragment(int f) {
        return new ReplicaRef(nodeId, diskId, f);
    }

    /** The same service, whichever fragment it holds. */
    public boolean sameService(ReplicaRef other) {
        return nodeId.equals(other.nodeId) && diskId.equals(other.diskId);
    }

    @Override
    public String toString() {
        return fragment == WHOLE ? nodeId + "/" + diskId : nodeId + "/" + diskId + "#" + fragment;
    }
}
