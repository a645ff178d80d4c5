package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * An administrator asked for node {@code nodeId} to be released: no new chunk goes there and its
 * replicas are moved to other nodes, after which the node holds no data and can be removed.
 */
public record NodeRelease(String nodeId, Instant requestedAt) {
    public NodeRelease {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
