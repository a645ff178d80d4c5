package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/** The token a new node presents to join. Only the newest generation is valid. */
public record JoinToken(String token, long generation, Instant createdAt, Instant expiresAt) {
    public JoinToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "JoinToken[generation=" + generation + ", expiresAt=" + expiresAt + "]";
    }
}
