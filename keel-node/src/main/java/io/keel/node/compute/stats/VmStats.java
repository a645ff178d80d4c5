package io.keel.node.compute.stats;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One VM's counters as its host last collected them. CPU and disk counters count from its QEMU's
 * start, so they restart at 0 when the VM is started again (a counter reset, as Prometheus expects).
 * A VM has no NICs yet, so there are no network counters: none are made up.
 *
 * @param cpuSeconds    user + system CPU time of the VM's QEMU (vCPUs, device emulation, I/O)
 * @param rssBytes      resident memory of that process
 * @param ramBytes      the RAM configured for the guest
 */
public record VmStats(String vmId, String vmName, long pid, double cpuSeconds, long rssBytes, long ramBytes,
        List<DiskCounters> disks, Instant collectedAt) {
    public VmStats {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vmName, "vmName");
        disks = List.copyOf(Objects.requireNonNull(disks, "disks"));
        Objects.requireNonNull(collectedAt, "collectedAt");
    }
}
