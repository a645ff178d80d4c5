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
 * @param acting          its local resource manager acts on the status now. A node can be heard
 *                        while its LRM does not act: back from a partition, its metadata replica
 *                        catching up (ADR 0031). It is not lost, but a resource placed there would
 *                        wait for that LRM however long it takes, so it takes no new resources
 */
public record NodeInfo(String name, Instant lastHeartbeat, Instant leasesExpireAt, Capacity capacity, NodeMode mode,
        boolean acting) {
    public NodeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        Objects.requireNonNull(leasesExpireAt, "leasesExpireAt");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(mode, "mode");
    }

    /** A node whose LRM acts: what every environment without that knowledge reports. */
    public NodeInfo(String name, Instant lastHeartbeat, Instant leasesExpireAt, Capacity capacity, NodeMode mode) {
        this(name, lastHeartbeat, leasesExpireAt, capacity, mode, true);
    }
}
