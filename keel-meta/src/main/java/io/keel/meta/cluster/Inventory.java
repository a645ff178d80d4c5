package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What a node has: reported by the node at join and whenever it changes. {@code cpuCores} counts
 * logical CPUs and is also the node's vCPU capacity for VMs; {@code memoryBytes} is its RAM.
 * {@code accelerator} is null for nodes that reported before compute existed (they report it on
 * their next start, since the inventory then differs).
 */
public record Inventory(
        String hostname,
        String os,
        String cpuModel,
        int cpuCores,
        long memoryBytes,
        List<NetInterface> interfaces,
        List<Disk> disks,
        AcceleratorReport accelerator) {
    public Inventory {
        Objects.requireNonNull(hostname, "hostname");
        interfaces = List.copyOf(interfaces);
        disks = List.copyOf(disks);
    }

    public Inventory withAccelerator(AcceleratorReport report) {
        return new Inventory(hostname, os, cpuModel, cpuCores, memoryBytes, interfaces, disks, report);
    }
}
