package io.keel.s3.auth;

import java.util.Objects;

/**
 * Computes the chained signatures of an aws-chunked body: each chunk is signed over the previous
 * signature (the request's own for the first chunk), and the trailer over the final chunk's.
 * Holds the derived signing key, never the secret.
 */
public final class ChunkSigner {
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final String seedSignature;

    public ChunkSigner(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey").clone();
        this.amzDate = Objects.requireNonNull(amzDate, "amzDate");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.seedSignature = Objects.requireNonNull(seedSignature, "seedSignature");
    }

    public String seedSignature() {
        return seedSignature;
    }

    public String chunkSignature(String previousSignature, String chunkSha256Hex) {
        return SigV4Crypto.sign(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n'
                + previousSignature + '\n' + SigV4Crypto.EMPTY_SHA256 + '\n' + chunkSha256Hex);
    }

    /** {@code canonicalTrailer} is each trailing header as {@code name:value\n}. */
    public String trailerSignature(String previousSignature, String canonicalTrailer) {
        return SigV4Crypto.sign(signingKey, "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n'
                + previousSignature + '\n' + SigV4Crypto.sha256Hex(canonicalTrailer));
    }
}
