package io.keel.s3.http;

import io.keel.s3.backend.BucketSetting;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bucket settings kept in a map beside a backend, whose buckets they must belong to; tests only. */
final class InMemoryBucketSettings implements BucketSettings {
    private final S3Backend backend;
    private final Map<String, String> docs = new ConcurrentHashMap<>();

    InMemoryBucketSettings(S3Backend backend) {
        this.backend = backend;
    }

    @Override
    public Optional<String> get(String bucket, BucketSetting kind) {
        return backend.bucket(bucket).isEmpty() ? Optional.empty() : Optional.ofNullable(docs.get(bucket + "/" + kind));
    }

    @Override
    public void put(String bucket, BucketSetting kind, String document) throws S3Exception {
        if (backend.bucket(bucket).isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        docs.put(bucket + "/" + kind, document);
    }

    @Override
    public void delete(String bucket, BucketSetting kind) {
        docs.remove(bucket + "/" + kind);
    }
}
