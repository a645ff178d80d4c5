package io.keel.node.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    public HeartbeatMonitor(Clock clock, String selfId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.startedAt = clock.instant();
    }

    public void heard(String nodeId) {
        lastSeen.put(Objects.requireNonNull(nodeId, "nodeId"), clock.instant());
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
