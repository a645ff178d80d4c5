package io.keel.api.http;

/** Answer of {@code GET /api/v1/health}: the process serves HTTP; says nothing about quorum. */
public record HealthResponse(String status, String nodeId) {}
