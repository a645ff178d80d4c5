package io.keel.api;

import io.keel.api.dto.CreateS3BucketRequest;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3LifecycleSweepView;
import io.keel.api.dto.S3ObjectListView;
import io.keel.api.dto.S3PutObjectView;
import io.keel.api.dto.S3UsageView;
import java.io.InputStream;
import java.util.Objects;

/**
 * Buckets and objects for the superadmin through the API, so the admin panel holds no S3 keys. The
 * node acts through its own S3 backend, so only the S3 cluster's nodes serve these calls: any other
 * node answers 503 naming them, and every node 409 while there is no S3 cluster. The routes have
 * checked the query's shape ({@link S3ObjectRoutes}); the service checks names and existence. 404
 * for an unknown bucket, user or key; a call that throws has changed nothing.
 */
public interface S3ObjectService {
    /** 400 for a name the S3 rules refuse, 404 unknown owner, 409 when the bucket exists. */
    S3BucketView createBucket(CreateS3BucketRequest request);

    /** 409 while the bucket holds objects, versions or unfinished uploads. */
    void deleteBucket(String bucket);

    S3ObjectListView listObjects(String bucket, ObjectQuery query);

    /** The latest version; the caller closes it. */
    Download getObject(String bucket, String key);

    /**
     * Stores {@code body} read to its end as the object's new version, owned by the bucket's owner.
     * {@code contentLength} is -1 when the client did not say.
     */
    S3PutObjectView putObject(String bucket, String key, String contentType, InputStream body, long contentLength);

    /** Succeeds for a key that is not there, as S3 does; 404 for an unknown bucket. */
    void deleteObject(String bucket, String key);

    /** What every bucket stores, from the object index's counters, and the space the S3 policy has left. */
    S3UsageView usage();

    /**
     * Applies every bucket's lifecycle rules now, as the hourly sweep does (it is idempotent, so
     * running both costs only time), and says what it did.
     */
    S3LifecycleSweepView sweepLifecycle();

    /**
     * A listing request: {@code prefix} and {@code delimiter} empty for none, {@code after} the
     * previous page's token or null, {@code limit} 1 to {@link #MAX_LIMIT}.
     */
    record ObjectQuery(String prefix, String delimiter, String after, int limit) {
        public static final int MAX_LIMIT = 1000;

        public ObjectQuery {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(delimiter, "delimiter");
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit out of range: " + limit);
            }
        }
    }

    /** An object's bytes on their way out, with what the download's headers say about them. */
    record Download(String contentType, long sizeBytes, String etag, InputStream body) implements AutoCloseable {
        public Download {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public void close() throws java.io.IOException {
            body.close();
        }
    }
}
