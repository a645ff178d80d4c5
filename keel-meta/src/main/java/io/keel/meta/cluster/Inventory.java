package io.keel.meta.cluster;

import java.util.List;
import java.util.Objects;

/** What a node has: reported by the node at join and whenever it changes. */
public record Inventory(
        String hostname,
        String os,
        String cpuModel,
        int cpuCores,
        long memoryBytes,
        List<NetInterface> interfaces,
        List<Disk> disks) {
    public Inventory {
        Objects.requireNonNull(hostname, "hostname");
        interfaces = List.copyOf(interfaces);
        disks = List.copyOf(disks);
    }
}
