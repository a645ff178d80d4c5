package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Chunk {@code index} of a volume: stored under chunk id ({@code storageId}, {@code index}) on
 * {@code replicas}, all at {@code version}. The version moves forward whenever the replica set
 * changes, so a replica that missed writes is recognisable by its older version when it returns.
 */
public record ChunkRecord(long index, String storageId, long version, List<ChunkReplica> replicas) {
    public ChunkRecord {
        Objects.requireNonNull(storageId, "storageId");
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }

    ChunkRecord withReplicas(List<ChunkReplica> r) {
        return new ChunkRecord(index, storageId, version + 1, r);
    }
}
