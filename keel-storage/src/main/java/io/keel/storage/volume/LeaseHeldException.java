package io.keel.storage.volume;

import java.time.Instant;

/** Another holder's write lease is live. */
public final class LeaseHeldException extends VolumeException {
    private final String holder;
    private final Instant expiresAt;

    public LeaseHeldException(String volumeId, String holder, Instant expiresAt) {
        super("volume " + volumeId + " is open for writing by " + holder + " (lease until " + expiresAt + ")");
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    public String holder() {
        return holder;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
