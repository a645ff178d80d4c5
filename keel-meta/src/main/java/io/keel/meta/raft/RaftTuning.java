package io.keel.meta.raft;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing knobs of the metadata Raft group.
 *
 * @param electionTimeoutMin lower bound of the randomised election timeout
 * @param electionTimeoutMax upper bound; a leader that hears from no majority for this long steps down
 * @param snapshotAutoTriggerThreshold take a snapshot (and purge the log) after this many applied entries
 * @param requestTimeout how long a client request or server RPC may take before it counts as failed
 */
public record RaftTuning(Duration electionTimeoutMin, Duration electionTimeoutMax, long snapshotAutoTriggerThreshold,
        Duration requestTimeout) {
    public RaftTuning {
        Objects.requireNonNull(electionTimeoutMin, "electionTimeoutMin");
        Objects.requireNonNull(electionTimeoutMax, "electionTimeoutMax");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero()) {
            throw new IllegalArgumentException("electionTimeoutMin must be positive");
        }
        if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("electionTimeoutMax must be above electionTimeoutMin");
        }
        if (snapshotAutoTriggerThreshold < 1) {
            throw new IllegalArgumentException("snapshotAutoTriggerThreshold must be positive");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    public static RaftTuning defaults() {
        // The request timeout spans a leader election or two on a busy two-core machine, so a write
        // in flight while leadership moves is retried instead of reported as a lost quorum (a real
        // loss is refused at once from heartbeats, before any request is sent).
        return new RaftTuning(Duration.ofMillis(1500), Duration.ofSeconds(3), 10_000, Duration.ofSeconds(8));
    }
}
