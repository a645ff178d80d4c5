package io.keel.api;

import io.keel.api.dto.VmStatsView;

/**
 * A VM's CPU, memory, disk and network counters, collected by its host node (ADR 0020). Any node
 * answers {@link #stats}, asking the host node to-node when the VM runs elsewhere; 404 for an
 * unknown VM, 503 when the host cannot be reached.
 */
public interface VmStatsService {
    VmStatsView stats(String vm);

    /** Node to node: the counters of a VM hosted by this node; 409 for a VM hosted elsewhere. */
    VmStatsView localStats(String vm);
}
