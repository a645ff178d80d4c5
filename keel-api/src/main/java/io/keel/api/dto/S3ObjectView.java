package io.keel.api.dto;

import java.time.Instant;

/** One object as a listing shows it; {@code etag} is quoted, as S3 sends it. */
public record S3ObjectView(String key, long sizeBytes, String etag, Instant lastModified, String contentType) {}
