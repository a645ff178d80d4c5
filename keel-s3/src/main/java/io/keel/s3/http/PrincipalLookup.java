package io.keel.s3.http;

import java.util.Optional;

/**
 * The S3 user an access key belongs to. Kept apart from {@link io.keel.s3.auth.SecretLookup}
 * because the verifier needs only secrets, while ownership and authorisation need the user.
 */
@FunctionalInterface
public interface PrincipalLookup {
    Optional<String> principalFor(String accessKeyId);
}
