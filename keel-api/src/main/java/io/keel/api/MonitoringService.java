package io.keel.api;

import io.keel.api.dto.MonitoringHistoryView;

/**
 * The dashboard's history (ADR 0053): every node samples what it exports every 10 seconds and keeps
 * the points itself; {@link #history} sums the nodes' points, asking the others in parallel.
 */
public interface MonitoringService {
    /** The cluster's history; nodes that did not answer in time are named, not waited for. */
    MonitoringHistoryView history(MonitoringRange range);

    /** Node to node: this node's own points for {@code range}. */
    MonitoringHistoryView localSamples(MonitoringRange range);
}
