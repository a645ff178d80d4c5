package io.keel.api.dto;

/**
 * A new VM snapshot: {@code name} follows the volume name rules and is unique among the VM's
 * snapshots; {@code memory} (default false) saves the guest's machine state too, for a running or
 * paused VM only (ADR 0024): a revert then resumes the guest from that moment at its next start.
 */
public record CreateVmSnapshotRequest(String name, Boolean memory) {}
