package io.keel.ha;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node's LRM observed of one resource assigned to it. {@code uid} names the CRM decision
 * the observation answers, so the CRM never mistakes an old report (a "stopped" from before it
 * asked for a start) for news; {@code at} is when it was observed, to order two nodes' reports.
 */
public record LrmReport(String node, String resource, long uid, Outcome outcome, Instant at) {
    public enum Outcome {
        RUNNING,
        /** Not here: no instance (for a migration, neither leaving nor arriving). */
        STOPPED,
        /** Failed more often than {@link HaConfig#maxRestart} allows; the LRM killed it. */
        FAILED,
        /**
         * The live migration completed: said by the source that saw its instance leave, or by the
         * target that has it running.
         */
        MIGRATED,
        /** The live migration failed: it still runs here. */
        MIGRATE_FAILED
    }

    public LrmReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
    }
}
