package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkOperations;

/**
 * Connections to chunk services, owned and cached by the implementation: callers never close
 * what {@link #open} returns.
 */
public interface ChunkServices {

    /**
     * The service holding {@code replica}: the local store or a network client.
     *
     * @throws VolumeIoException of kind EIO if it cannot be reached
     */
    ChunkOperations open(ReplicaRef replica);

    /** Whether the replica is on this node, so reads go there first. */
    boolean isLocal(ReplicaRef replica);

    /** Tells that {@code ops} failed with an I/O error, so the next {@link #open} reconnects. */
    void failed(ReplicaRef replica, ChunkOperations ops);
}
