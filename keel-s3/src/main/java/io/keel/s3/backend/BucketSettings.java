package io.keel.s3.backend;

import io.keel.s3.error.S3Exception;
import java.util.Optional;

/**
 * Where bucket configuration documents live, apart from {@link S3Backend} (object storage) because
 * they are small control records that change rarely and belong with the bucket's metadata.
 * Documents are opaque here: the gateway validates them and hands over the canonical form; a
 * store only keeps them, and removes them with the bucket.
 */
public interface BucketSettings {
    /** The stored document, empty when the bucket has none of this kind (or does not exist). */
    Optional<String> get(String bucket, BucketSetting kind) throws S3Exception;

    /** Replaces the document; NoSuchBucket if the bucket is gone. */
    void put(String bucket, BucketSetting kind, String document) throws S3Exception;

    /** Removes the document; removing an absent one succeeds (as S3's Delete* calls do). */
    void delete(String bucket, BucketSetting kind) throws S3Exception;
}
