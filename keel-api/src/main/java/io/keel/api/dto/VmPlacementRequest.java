package io.keel.api.dto;

/**
 * The "Manage placement" action: {@code strategy} auto | failover | pinned; {@code node} (id or
 * name), when given, must be the node the VM is on (it moves by live migration, not by this call).
 */
public record VmPlacementRequest(String strategy, String node) {}
