package io.keel.api.dto;

/** One VM network interface's traffic since its QEMU started (VMs have no NICs yet, so none are listed). */
public record VmNicStatsView(String nic, long rxBytes, long txBytes, long rxPackets, long txPackets) {}
