package io.keel.api.dto;

import java.time.Instant;

/** An access key, never its secret. {@code state} ACTIVE or REVOKED; {@code revokedAt} null while active. */
public record S3AccessKeyView(String accessKeyId, String userId, String userEmail, String state, Instant createdAt,
        Instant revokedAt) {}
