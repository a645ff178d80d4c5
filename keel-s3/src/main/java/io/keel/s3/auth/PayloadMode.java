package io.keel.s3.auth;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Locale;
import java.util.Objects;

/** What {@code x-amz-content-sha256} declares about the body, and so how the body must be read. */
public sealed interface PayloadMode {
    String UNSIGNED = "UNSIGNED-PAYLOAD";
    String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /** The value as it goes into the canonical request. */
    String declaration();

    /** The body is taken as it is (TLS or the application protects it, if anything does). */
    record Unsigned() implements PayloadMode {
        @Override
        public String declaration() {
            return UNSIGNED;
        }
    }

    /** The body's SHA-256 was signed; it is checked when the body has been read. */
    record Sha256(String hex) implements PayloadMode {
        public Sha256 {
            Objects.requireNonNull(hex, "hex");
            hex = hex.toLowerCase(Locale.ROOT);
        }

        @Override
        public String declaration() {
            return hex;
        }
    }

    /**
     * aws-chunked framing: {@code signedChunks} means each chunk carries a signature chained from
     * the request's; {@code trailer} means trailing headers (a checksum) follow the last chunk.
     */
    record Streaming(boolean signedChunks, boolean trailer) implements PayloadMode {
        public Streaming {
            if (!signedChunks && !trailer) {
                throw new IllegalArgumentException("unsigned streaming without a trailer is not an S3 mode");
            }
        }

        @Override
        public String declaration() {
            if (!signedChunks) {
                return STREAMING_UNSIGNED_TRAILER;
            }
            return trailer ? STREAMING_SIGNED_TRAILER : STREAMING_SIGNED;
        }
    }

    /** Parses an x-amz-content-sha256 value; SigV4a and anything else unknown are refused. */
    public static PayloadMode parse(String value) throws S3Exception {
        return switch (value) {
            case UNSIGNED -> new Unsigned();
            case STREAMING_SIGNED -> new Streaming(true, false);
            case STREAMING_SIGNED_TRAILER -> new Streaming(true, true);
            case STREAMING_UNSIGNED_TRAILER -> new Streaming(false, true);
            default -> {
                if (value.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256")) {
                    throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "SigV4a (ECDSA) signing is not supported.");
                }
                if (!SigV4Crypto.isSha256Hex(value)) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                                    + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.");
                }
                yield new Sha256(value);
            }
        };
    }
}
