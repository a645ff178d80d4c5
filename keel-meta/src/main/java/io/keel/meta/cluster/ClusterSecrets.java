package io.keel.meta.cluster;

import java.util.Objects;

/**
 * Secrets kept apart from {@link ClusterInfo} so that no view of the cluster can carry them by
 * accident. The password is stored only as a password hash (the hash string names its algorithm
 * and parameters); the signing key signs API session tokens so that any node can verify them.
 */
public record ClusterSecrets(String superadminPasswordHash, String tokenSigningKey) {
    public ClusterSecrets {
        Objects.requireNonNull(superadminPasswordHash, "superadminPasswordHash");
        Objects.requireNonNull(tokenSigningKey, "tokenSigningKey");
    }

    @Override
    public String toString() {
        return "ClusterSecrets[redacted]";
    }
}
