package io.keel.storage.volume;

import java.time.Instant;
import java.util.Objects;

/** A granted write lease: {@code holder} may write {@code volumeId} with {@code epoch} until {@code expiresAt}. */
public record Lease(String volumeId, String holder, long epoch, Instant expiresAt) {
    public Lease {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
