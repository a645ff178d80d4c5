package io.keel.api.dto;

/** One VM NIC's traffic as the guest sees it, for NICs with a tap on the host (bridge networks). */
public record VmNicStatsView(String nic, long rxBytes, long txBytes, long rxPackets, long txPackets) {}
