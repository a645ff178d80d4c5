package io.keel.s3.address;

import java.util.Objects;
import java.util.Optional;

/**
 * What a request addresses: the service (no bucket), a bucket, or an object. Names are decoded;
 * the bucket name is not validated here, since only CreateBucket refuses bad names with
 * {@code InvalidBucketName} while other operations answer {@code NoSuchBucket}.
 */
public record S3Address(Style style, Optional<String> bucket, Optional<String> key) {
    public enum Style { PATH, VIRTUAL_HOSTED }

    public S3Address {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (key.isPresent() && bucket.isEmpty()) {
            throw new IllegalArgumentException("a key needs a bucket");
        }
    }

    public boolean isService() {
        return bucket.isEmpty();
    }

    /** The {@code Resource} an error document names: {@code /bucket/key}, {@code /bucket} or {@code /}. */
    public String resource() {
        return "/" + bucket.map(b -> key.map(k -> b + "/" + k).orElse(b)).orElse("");
    }
}
