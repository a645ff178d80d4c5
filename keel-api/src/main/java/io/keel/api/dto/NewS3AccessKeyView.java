package io.keel.api.dto;

import java.time.Instant;

/**
 * A key just created, with its secret: the only answer that ever carries it. The secret is kept
 * for the gateways (SigV4 needs it) but no later call returns it, so the client must save it now.
 */
public record NewS3AccessKeyView(String accessKeyId, String secretAccessKey, String userId, String userEmail,
        Instant createdAt) {
    // Views pass through code that may log them on failure; the secret must not go with them.
    @Override
    public String toString() {
        return "NewS3AccessKeyView[accessKeyId=" + accessKeyId + ", secretAccessKey=***, userId=" + userId
                + ", userEmail=" + userEmail + ", createdAt=" + createdAt + "]";
    }
}
