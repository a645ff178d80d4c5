package io.keel.api.dto;

/**
 * A virtual network: {@code type} "bridge" (NICs on the Linux {@code bridge} that every compute
 * node has, e.g. vmbr0) or "nat" (each NIC its own NAT with DHCP inside QEMU).
 */
public record CreateNetworkRequest(String name, String type, String bridge) {}
