package io.keel.api.dto;

/**
 * Live migration of a running VM to {@code node} (id or name). {@code waitSeconds}: how long the
 * call waits for the migration to end (default 120; 0 returns at once, the VM then shows its
 * progress in {@code migration}). {@code maxBandwidth}: bytes per second the transfer may use, with a
 * K, M or G suffix ("100M"); default: Keel's limit.
 */
public record MigrateVmRequest(String node, Integer waitSeconds, String maxBandwidth) {}
