package io.keel.meta.cluster;

import io.keel.ha.NodeMode;
import java.time.Instant;
import java.util.Objects;

/**
 * What the administrator (maintenance) or the node itself (a graceful shutdown) asked of a node's
 * HA resources (ADR 0030). Absent means {@link NodeMode#ACTIVE}. While it is not active the node's
 * record is also marked in maintenance, so every placement (new VMs, migration targets, new chunk
 * copies) leaves it out as it always did.
 */
public record HaNodeMode(String nodeId, NodeMode mode, Instant since) {
    public HaNodeMode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(since, "since");
    }
}
