package io.keel.meta.cluster;

/**
 * How a virtual network reaches the world (ADR 0023).
 * <ul>
 *   <li>BRIDGE: the NICs are tap devices on a Linux bridge that exists on every compute node (as
 *       Proxmox VE's vmbr0): VMs on it share one L2 segment with whatever the bridge is plugged
 *       into, across nodes when the bridge has an uplink.</li>
 *   <li>NAT: each NIC gets QEMU's own user-mode network, a private NAT to the host's networks
 *       with a DHCP server; no setup on the nodes and no traffic between VMs.</li>
 * </ul>
 */
public enum NetworkType {
    BRIDGE,
    NAT
}
