package io.keel.ha;

import java.time.Instant;
import java.util.Objects;

/**
 * What the metadata knows of one node at the moment of a snapshot.
 *
 * @param lastHeartbeat   when the node last reached the metadata majority
 * @param leasesExpireAt  when every write lease the node may hold is certainly expired: its last
 *                        renewal plus the lease time. The CRM never restarts the node's resources elsewhere
 *                        before this instant
 */
public record NodeInfo(String name, Instant lastHeartbeat, Instant leasesExpireAt, Capacity capacity, NodeMode mode) {
    public NodeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(leasesExpireAt, "leasesExpireAt");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(mode, "mode");
    }
}
