package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What a node has: reported by the node at join and whenever it changes. {@code cpuCores} counts
 * logical CPUs and is also the node's vCPU capacity for VMs; {@code memoryBytes} is its RAM.
 * {@code accelerator} is null for nodes that reported before compute existed (they report it on
 * their next start, since the inventory then differs). {@code iscsiPort} is the TCP port the node's
 * iSCSI portals listen on (node configuration), 0 when it serves no iSCSI: target groups name only
 * the address, so every node of the cluster can tell initiators the whole portal.
 */
public record Inventory(
        String hostname,
        String os,
        String cpuModel,
        int cpuCores,
        long memoryBytes,
        List<NetInterface> interfaces,
        List<Disk> disks,
        AcceleratorReport accelerator,
        int iscsiPort) {
    public Inventory {
        Objects.requireNonNull(hostname, "hostname");
        interfaces = List.copyOf(interfaces);
        disks = List.copyOf(disks);
        if (iscsiPort < 0 || iscsiPort > 65535) {
            throw new IllegalArgumentException("iSCSI port " + iscsiPort + " is out of range");
        }
    }

    public Inventory(String hostname, String os, String cpuModel, int cpuCores, long memoryBytes,
            List<NetInterface> interfaces, List<Disk> disks, AcceleratorReport accelerator) {
        this(hostname, os, cpuModel, cpuCores, memoryBytes, interfaces, disks, accelerator, 0);
    }

    public Inventory withAccelerator(AcceleratorReport report) {
        return new Inventory(hostname, os, cpuModel, cpuCores, memoryBytes, interfaces, disks, report, iscsiPort);
    }

    public Inventory withIscsiPort(int port) {
        return new Inventory(hostname, os, cpuModel, cpuCores, memoryBytes, interfaces, disks, accelerator, port);
    }
}
