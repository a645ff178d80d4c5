package io.keel.s3.auth;

import java.time.Instant;
import java.util.Objects;

/** The outcome of a request that passed verification: who sent it, or nobody. */
public sealed interface Authentication {
    /** No credentials at all; the request is judged by bucket policy (usually AccessDenied). */
    record Anonymous() implements Authentication {
    }

    /**
     * A valid signature by {@code accessKeyId}. The body still has to be read according to
     * {@code payload}; {@code chunkSigner} continues the signature chain for aws-chunked bodies.
     */
    record Signed(String accessKeyId, Location location, Instant signedAt, CredentialScope scope,
            PayloadMode payload, ChunkSigner chunkSigner) implements Authentication {
        public Signed {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(signedAt, "signedAt");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(chunkSigner, "chunkSigner");
        }
    }

    enum Location { HEADER, QUERY }
}
