package io.keel.ha;

import java.util.Objects;

/**
 * What a node's LRM observed of one resource assigned to it. {@code uid} names the CRM decision
 * the observation answers, so the CRM never mistakes an old report (a "stopped" from before it
 * asked for a start) for news.
 */
public record LrmReport(String node, String resource, long uid, Outcome outcome) {
    public enum Outcome {
        RUNNING,
        STOPPED,
        /** Failed more often than {@link HaConfig#maxRestart} allows; the LRM killed it. */
        FAILED,
        /** The live migration it was asked for completed: it runs on the target now. */
        MIGRATED,
        /** The live migration failed: it still runs here. */
        MIGRATE_FAILED
    }

    public LrmReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
    }
}
