package io.keel.meta.cluster;

import java.util.Objects;

/**
 * The secret of an access key. SigV4 signs with an HMAC keyed by the secret itself, so the
 * gateway needs it in plain form: it is stored, not hashed (like CHAP secrets, ADR 0033), under
 * a key of its own, and prints as stars.
 */
public record S3KeySecret(String secret) {
    public S3KeySecret {
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "S3KeySecret[***]";
    }
}
