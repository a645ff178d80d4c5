package io.keel.node.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last heard from each other node. Every node sends heartbeats to every other, so
 * any node can tell the health of all of them from its own view, without a replicated write per
 * heartbeat. The view is in memory only: a node that just started gives everyone one detection
 * period of grace instead of calling the whole cluster Unhealthy.
 */
public final class HeartbeatMonitor {
    private final Clock clock;
    private final String selfId;
    private final Instant startedAt;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    /** Nodes whose last heartbeat said their HA local resource manager does not act. */
    private final Set<String> idle = ConcurrentHashMap.newKeySet();

    public HeartbeatMonitor(Clock clock, String selfId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.startedAt = clock.instant();
    }

    public void heard(String nodeId) {
        heard(nodeId, true);
    }

    /** {@code haActing}: what the heartbeat said of the node's HA local resource manager. */
    public void heard(String nodeId, boolean haActing) {
        lastSeen.put(Objects.requireNonNull(nodeId, "nodeId"), clock.instant());
        if (haActing) {
            idle.remove(nodeId);
        } else {
            idle.add(nodeId);
        }
    }

    /**
     * Whether the node's last heartbeat said its HA local resource manager acts on the status (a
     * node never heard, or of an earlier version, counts as acting: that is what it always meant).
     */
    public boolean haActing(String nodeId) {
        return !idle.contains(Objects.requireNonNull(nodeId, "nodeId"));
    }

    /** When {@code nodeId} was last heard since this node started, if at all. */
    public Optional<Instant> lastHeard(String nodeId) {
        return Optional.ofNullable(lastSeen.get(Objects.requireNonNull(nodeId, "nodeId")));
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** How long since {@code nodeId} was last heard; empty when never heard since this node started. */
    public Optional<Duration> age(String nodeId) {
        if (selfId.equals(nodeId)) {
            return Optional.of(Duration.ZERO);
        }
        Instant seen = lastSeen.get(nodeId);
        return seen == null ? Optional.empty() : Optional.of(Duration.between(seen, clock.instant()));
    }

    /**
     * True when {@code nodeId} was heard within {@code window}, or when this node started less
     * than {@code window} ago and has not heard it yet (benefit of the doubt after a restart).
     */
    public boolean alive(String nodeId, Duration window) {
        Optional<Duration> age = age(nodeId);
        if (age.isPresent()) {
            return age.get().compareTo(window) <= 0;
        }
        return Duration.between(startedAt, clock.instant()).compareTo(window) < 0;
    }
}
