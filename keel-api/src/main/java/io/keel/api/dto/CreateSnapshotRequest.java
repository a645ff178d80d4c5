package io.keel.api.dto;

/** A new snapshot's name: volume name rules, unique among the volume's snapshots. */
public record CreateSnapshotRequest(String name) {}
