package io.keel.api.dto;

/** A NIC for a VM: its network, and its MAC address (default: a fresh 52:54:00:xx:xx:xx). */
public record NewNicRequest(String network, String mac) {}
