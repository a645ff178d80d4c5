package io.keel.api.dto;

/**
 * The HA manager's view of a VM (ADR 0029): {@code state} (started, stopped, migrate, relocate,
 * recovery, fence, error, ...), the node it places the VM on, and {@code waiting}: why a VM that
 * should run does not (no node with room, its node not yet fenced), else null.
 */
public record VmHaView(String state, String node, String nodeName, String waiting) {}
