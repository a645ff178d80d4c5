package io.keel.api.dto;

/** What an upload stored; {@code etag} is quoted, as S3 sends it. */
public record S3PutObjectView(String key, long sizeBytes, String etag) {}
