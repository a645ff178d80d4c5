package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One chunk that does not have the replicas its policy asks for: {@code lost} replicas are to be
 * dropped from its map (their services have been missing past the grace period, or they sit
 * where the policy no longer allows), and {@code missing} new replicas are to be built from the
 * {@code sources} that are alive.
 */
public record RepairTask(String volumeId, long index, long version, List<ChunkReplica> sources,
        List<ChunkReplica> lost, int missing) {
    public RepairTask {
        Objects.requireNonNull(volumeId, "volumeId");
        sources = List.copyOf(sources);
        lost = List.copyOf(lost);
    }
}
