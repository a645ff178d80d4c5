package io.keel.s3.backend;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a caller may run an operation on a bucket. {@code principal} is the S3 user id
 * the access key belongs to, empty for anonymous requests. The default is owner-only; bucket
 * policies (public-read, per-user grants) will be another implementation of this interface.
 */
@FunctionalInterface
public interface S3Authorizer {
    /**
     * What is being attempted: the operation's name (as in S3's API reference) and its target.
     * {@code versionId} is there because policies grant reading a named version separately.
     */
    record Action(String operation, Optional<String> bucket, Optional<String> key, Optional<String> versionId) {
        public Action {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
        }

        public Action(String operation, Optional<String> bucket, Optional<String> key) {
            this(operation, bucket, key, Optional.empty());
        }
    }

    /** Throws AccessDenied (or another S3 error) when the caller may not act. */
    void authorize(Optional<String> principal, Action action, Optional<BucketInfo> bucket) throws S3Exception;

    /**
     * Only the bucket's owner may touch it or its objects; anyone signed may list their own
     * buckets or create one; anonymous callers may do nothing.
     */
    static S3Authorizer ownerOnly() {
        return (principal, action, bucket) -> {
            if (principal.isEmpty()) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            if (bucket.isPresent() && !bucket.get().owner().equals(principal.get())) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
        };
    }
}
