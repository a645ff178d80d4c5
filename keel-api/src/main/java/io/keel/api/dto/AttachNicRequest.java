package io.keel.api.dto;

/**
 * A NIC to add to a VM: its network, its MAC (default: a fresh 52:54:00:xx:xx:xx), and how long to
 * wait (default 120 s).
 */
public record AttachNicRequest(String network, String mac, Integer waitSeconds) {}
