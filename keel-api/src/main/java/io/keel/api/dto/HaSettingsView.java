package io.keel.api.dto;

/**
 * The cluster's HA settings: {@code relocation} drs | round-robin; {@code migrateBack} whether VMs
 * moved off a lost or evacuated node go back when it returns; how long a node's graceful shutdown
 * waits for its VMs to move.
 */
public record HaSettingsView(boolean migrateBack, String relocation, int shutdownTimeoutSeconds) {}
