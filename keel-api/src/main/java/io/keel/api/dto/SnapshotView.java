package io.keel.api.dto;

/**
 * A read-only, point-in-time image of a volume. {@code volume} is the name of the volume it was
 * taken of, {@code chunks} the number of allocated chunks it holds, {@code createdAt} ISO-8601.
 */
public record SnapshotView(String id, String name, String volume, long sizeBytes, String createdAt, long chunks) {}
