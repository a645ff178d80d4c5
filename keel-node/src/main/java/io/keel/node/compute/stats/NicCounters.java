package io.keel.node.compute.stats;

import java.util.Objects;

/**
 * One VM NIC's traffic as the guest sees it (received = what its tap sent it), since the tap was
 * made (the VM's start or the NIC's hot-plug). Only bridge NICs have a tap to count on; a NAT NIC's
 * traffic stays inside QEMU, which does not count it.
 */
public record NicCounters(String nic, String mac, long rxBytes, long txBytes, long rxPackets, long txPackets) {
    public NicCounters {
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(mac, "mac");
    }
}
