package io.keel.s3.auth;

import java.util.Optional;

/** The secret of an active access key; empty for unknown or revoked keys. */
@FunctionalInterface
public interface SecretLookup {
    Optional<String> secretFor(String accessKeyId);
}
