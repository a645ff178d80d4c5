package io.keel.api.dto;

/** One disk in a VM snapshot: the volume (name and id) and the volume snapshot taken of it. */
public record VmSnapshotDiskView(String volume, String volumeId, String snapshot, String snapshotId) {}
