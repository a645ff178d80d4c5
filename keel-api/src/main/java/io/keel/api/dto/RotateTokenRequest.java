package io.keel.api.dto;

/** {@code ttlSeconds} null means the default lifetime (24 hours). */
public record RotateTokenRequest(Long ttlSeconds) {}
