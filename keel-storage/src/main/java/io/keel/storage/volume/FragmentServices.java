package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkOperations;
import java.util.Objects;

/**
 * Chunk services looked up by disk whatever fragment a ref names: a service is keyed by (node,
 * disk), and one disk holds fragments of many erasure-coded chunks, so lookups, locality and
 * failure reports all go to the ref with its fragment stripped.
 */
final class FragmentServices implements ChunkServices {
    private final ChunkServices services;

    FragmentServices(ChunkServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    static ReplicaRef disk(ReplicaRef r) {
        return r.fragment() == ReplicaRef.WHOLE ? r : r.withFragment(ReplicaRef.WHOLE);
    }

    @Override
    public ChunkOperations open(ReplicaRef replica) {
        return services.open(disk(replica));
    }

    @Override
    public boolean isLocal(ReplicaRef replica) {
        return services.isLocal(disk(replica));
    }

    @Override
    public void failed(ReplicaRef replica, ChunkOperations ops) {
        services.failed(disk(replica), ops);
    }
}
