package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * An access key of an S3 user (ADR 0039). The secret is not here but in {@link S3KeySecret} under
 * a key of its own, so listing keys can never show it. A revoked key keeps its record (who had
 * which key, until when) and loses its secret, so nothing can verify with it any more.
 *
 * @param revokedAt when it was revoked; null while active
 */
public record S3AccessKey(String id, String userId, Instant createdAt, State state, Instant revokedAt) {

    public enum State { ACTIVE, REVOKED }

    public S3AccessKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        if ((state == State.REVOKED) != (revokedAt != null)) {
            throw new IllegalArgumentException("a key has a revocation time exactly when it is revoked");
        }
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    public S3AccessKey revoked(Instant at) {
        return new S3AccessKey(id, userId, createdAt, State.REVOKED, at);
    }
}
