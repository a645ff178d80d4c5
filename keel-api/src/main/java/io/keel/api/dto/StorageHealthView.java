package io.keel.api.dto;

import java.util.List;
import java.util.Objects;

/**
 * The storage cluster's health and rebuild progress now (ADR 0053's amendment). Chunks by health
 * and volumes are the cluster's, as the serving node's metadata shows them: healthy chunks have
 * every copy their policy asks for on live nodes, degraded ones fewer but at least one, unavailable
 * ones none. Pending chunks are those the healers still have to repair (every node plans for the
 * whole cluster, so this is the most any answering node counts); chunks and bytes rebuilt since the
 * nodes started and the rebuild rate (bytes per second over the last sampling step) are summed
 * over the nodes that answered. Nodes that did not answer in time are named.
 */
public record StorageHealthView(long healthyChunks, long degradedChunks, long unavailableChunks, long volumes,
        long degradedVolumes, long pendingRebuildChunks, long chunksRebuilt, long bytesRebuilt,
        double rebuildBytesPerSecond, List<String> missingNodes) {
    public StorageHealthView {
        missingNodes = List.copyOf(Objects.requireNonNull(missingNodes, "missingNodes"));
    }
}
