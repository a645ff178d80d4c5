package io.keel.s3.auth;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The X-Amz-* parameters of a presigned URL, parsed and range-checked. */
public record PresignedQuery(CredentialScope credential, String amzDate, Instant signedAt, long expiresSeconds,
        List<String> signedHeaders, String signature) {
    public PresignedQuery {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(signedAt, "signedAt");
        signedHeaders = List.copyOf(signedHeaders);
        Objects.requireNonNull(signature, "signature");
    }

    public static PresignedQuery parse(QueryParams q) throws S3Exception {
        String algorithm = q.first("X-Amz-Algorithm").orElse(null);
        String credential = q.first("X-Amz-Credential").orElse(null);
        String date = q.first("X-Amz-Date").orElse(null);
        String expires = q.first("X-Amz-Expires").orElse(null);
        String signedHeaders = q.first("X-Amz-SignedHeaders").orElse(null);
        String signature = q.first("X-Amz-Signature").orElse(null);
        if (algorithm == null || credential == null || date == null || expires == null
                || signedHeaders == null || signature == null) {
            throw error("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!algorithm.equals(SigV4Crypto.ALGORITHM)) {
            throw error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        CredentialScope scope = CredentialScope.parse(credential).orElseThrow(() -> error(
                "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."));
        Instant signedAt = AmzDate.parseBasic(date).orElseThrow(() -> error(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""));
        long seconds = parseExpires(expires);
        List<String> names = AuthorizationHeader.signedHeaderList(signedHeaders)
                .orElseThrow(() -> error("X-Amz-SignedHeaders must be lower case, sorted and unique."));
        return new PresignedQuery(scope, date, signedAt, seconds, names, signature);
    }

    private static long parseExpires(String expires) throws S3Exception {
        if (expires.isEmpty() || expires.length() > 12 || !expires.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error("X-Amz-Expires should be a number");
        }
        long seconds = Long.parseLong(expires);
        if (seconds > SigV4Verifier.MAX_PRESIGN_SECONDS) {
            throw error("X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds");
        }
        return seconds;
    }

    private static S3Exception error(String message) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, message);
    }
}
