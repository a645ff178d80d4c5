package io.keel.node.compute.stats;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One VM's counters as its host last collected them. CPU and disk counters count from its QEMU's
 * start, so they restart at 0 when the VM is started again (a counter reset, as Prometheus expects).
 * NIC counters exist for NICs with a tap on this host (bridge networks); none are made up for others.
 *
 * @param cpuSeconds    user + system CPU time of the VM's QEMU (vCPUs, device emulation, I/O)
 * @param rssBytes      resident memory of that process
 * @param ramBytes      the RAM configured for the guest
 */
public record VmStats(String vmId, String vmName, long pid, double cpuSeconds, long rssBytes, long ramBytes,
        List<DiskCounters> disks, Instant collectedAt, List<NicCounters> nics) {
    /** A VM without NIC counters. */
    public VmStats(String vmId, String vmName, long pid, double cpuSeconds, long rssBytes, long ramBytes,
            List<DiskCounters> disks, Instant collectedAt) {
        this(vmId, vmName, pid, cpuSeconds, rssBytes, ramBytes, disks, collectedAt, List.of());
    }

    public VmStats {
        nics = List.copyOf(Objects.requireNonNull(nics, "nics"));
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vmName, "vmName");
        disks = List.copyOf(Objects.requireNonNull(disks, "disks"));
        Objects.requireNonNull(collectedAt, "collectedAt");
    }
}
