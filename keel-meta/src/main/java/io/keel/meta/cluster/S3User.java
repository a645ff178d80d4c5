package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An S3 user (ADR 0039), identified by e-mail address; unique without regard to case, because
 * people do not remember how they capitalised their address. A suspended user's keys stop
 * authenticating, and their buckets stay.
 */
public record S3User(String id, String email, String displayName, Instant createdAt, boolean suspended) {
    public S3User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The form e-mail addresses are compared in. */
    public static String emailKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    public S3User withSuspended(boolean next) {
        return new S3User(id, email, displayName, createdAt, next);
    }
}
