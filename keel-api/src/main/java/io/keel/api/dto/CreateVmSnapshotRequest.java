package io.keel.api.dto;

/**
 * A new VM snapshot: {@code name} follows the volume name rules and is unique among the VM's
 * snapshots; {@code memory} (save the guest's memory too) is refused for now.
 */
public record CreateVmSnapshotRequest(String name, Boolean memory) {}
