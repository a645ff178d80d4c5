package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The right to write a volume, held by {@code holder} until {@code expiresAt} unless renewed.
 * {@code epoch} fences older holders: chunk services refuse writes that carry a lower one. A
 * background lease (healing, rebalancing) gives way to any foreground open.
 */
public record VolumeLease(String holder, long epoch, boolean background, Instant expiresAt) {
    public VolumeLease {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean liveAt(Instant at) {
        return at.isBefore(expiresAt);
    }
}
