package io.keel.api.dto;

/**
 * The management virtual IP (ADR 0031). {@code set} is false, and everything else null, when none
 * is configured. {@code address} is {@code ADDRESS/PREFIX}; {@code node} the name of the node the
 * HA engine placed it on and {@code state} its HA state (started, fence, ...), null before the
 * engine first placed it.
 */
public record ClusterVipView(boolean set, String address, String iface, String node, String state) {}
