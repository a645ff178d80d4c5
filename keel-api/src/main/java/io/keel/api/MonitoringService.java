package io.keel.api;

import io.keel.api.dto.MonitoringHistoryView;
import io.keel.api.dto.NodeRebuildView;
import io.keel.api.dto.StorageHealthView;

/**
 * The dashboard's history (ADR 0053): every node samples what it exports every 10 seconds and keeps
 * the points itself; {@link #history} sums the nodes' points, asking the others in parallel. The
 * storage's health and rebuild progress now are gathered the same way.
 */
public interface MonitoringService {
    /** The cluster's history; nodes that did not answer in time are named, not waited for. */
    MonitoringHistoryView history(MonitoringRange range);

    /** Node to node: this node's own points for {@code range}. */
    MonitoringHistoryView localSamples(MonitoringRange range);

    /** Chunks by health and the rebuild's progress now; nodes that did not answer in time are named. */
    StorageHealthView storageHealth();

    /** Node to node: this node's share of rebuilding. */
    NodeRebuildView localRebuild();
}
