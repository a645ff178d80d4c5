package io.keel.s3.payload;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Parsing of the integrity headers a client may send with a body: Content-MD5 and x-amz-checksum-*. */
public final class Checksums {
    private Checksums() {
    }

    /** A checksum the body must have: the algorithm and the raw expected value. */
    public record Expected(ChecksumAlgorithm algorithm, byte[] value) {
        public Expected {
            Objects.requireNonNull(algorithm, "algorithm");
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        boolean matches(byte[] actual) {
            return MessageDigest.isEqual(value, actual);
        }
    }

    /** Content-MD5: base64 of exactly 16 bytes, else {@code InvalidDigest}. */
    public static byte[] parseContentMd5(String value) throws S3Exception {
        byte[] md5 = decodeBase64(value.strip());
        if (md5 == null || md5.length != 16) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
        return md5;
    }

    /** A base64 checksum value of the algorithm's exact length, else {@code InvalidRequest}. */
    public static Expected parseChecksum(ChecksumAlgorithm algorithm, String value) throws S3Exception {
        byte[] raw = decodeBase64(value.strip());
        if (raw == null || raw.length != algorithm.length()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Value for " + algorithm.headerName() + " header is invalid.");
        }
        return new Expected(algorithm, raw);
    }

    /** The one {@code x-amz-checksum-<algorithm>} header of a request, if any (lower-cased names). */
    public static Optional<Expected> fromHeaders(Map<String, List<String>> headers) throws S3Exception {
        Expected found = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            Optional<ChecksumAlgorithm> a = ChecksumAlgorithm.forHeader(e.getKey());
            if (a.isEmpty()) {
                continue;
            }
            if (found != null || e.getValue().size() != 1) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
            found = parseChecksum(a.get(), e.getValue().getFirst());
        }
        return Optional.ofNullable(found);
    }

    public static String base64(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    private static byte[] decodeBase64(String s) {
        try {
            byte[] raw = Base64.getDecoder().decode(s);
            // Reject non-canonical encodings so one value has exactly one spelling.
            return base64(raw).equals(s) ? raw : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static S3Exception mismatch(ChecksumAlgorithm algorithm) {
        return new S3Exception(S3ErrorCode.BAD_DIGEST,
                "The " + algorithm.wireName() + " you specified did not match the calculated checksum.");
    }
}
