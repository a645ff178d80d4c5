package io.keel.api.dto;

/**
 * Live migration of a running VM to {@code node} (id or name). {@code waitSeconds}: how long the
 * call waits for the migration to end (default 120; 0 returns at once, the VM then shows its
 * progress in {@code migration}).
 */
public record MigrateVmRequest(String node, Integer waitSeconds) {}
