package io.keel.s3.ops;

import io.keel.s3.address.Addressing;
import io.keel.s3.address.UriCodec;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/** The object {@code x-amz-copy-source} names: {@code [/]bucket/key[?versionId=id]}, URL-encoded. */
public record CopySource(String bucket, String key, Optional<String> versionId) {
    public CopySource {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
    }

    public static CopySource parse(String header) throws S3Exception {
        String h = header.strip();
        Optional<String> version = Optional.empty();
        int q = h.indexOf('?');
        if (q >= 0) {
            String query = h.substring(q + 1);
            h = h.substring(0, q);
            if (!query.startsWith("versionId=") || query.length() == "versionId=".length()) {
                throw invalid();
            }
            version = Optional.of(UriCodec.decode(query.substring("versionId=".length())));
        }
        if (h.startsWith("/")) {
            h = h.substring(1);
        }
        int slash = h.indexOf('/');
        if (slash <= 0 || slash == h.length() - 1) {
            throw invalid();
        }
        String bucket = UriCodec.decode(h.substring(0, slash));
        String key = UriCodec.decode(h.substring(slash + 1));
        if (key.getBytes(StandardCharsets.UTF_8).length > Addressing.MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG);
        }
        return new CopySource(bucket, key, version);
    }

    private static S3Exception invalid() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid copy source: expected bucket/key[?versionId=id]");
    }
}
