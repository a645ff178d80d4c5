package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * A VM's counters as its host node last collected them (about every second). CPU and disk
 * counters count from the start of the VM's QEMU process, so they restart at 0 when the VM is
 * started again. {@code running} is false (and the counters 0, {@code collectedAt} null) when no
 * QEMU runs for the VM. {@code nics} is empty: VMs have no network interfaces yet.
 */
public record VmStatsView(String vm, String vmId, String node, String nodeName, boolean running,
        Instant collectedAt, double cpuSeconds, long memoryRssBytes, long memoryConfiguredBytes,
        List<VmDiskStatsView> disks, List<VmNicStatsView> nics) {}
