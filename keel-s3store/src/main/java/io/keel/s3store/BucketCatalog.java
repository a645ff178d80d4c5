package io.keel.s3store;

import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Command;
import io.keel.s3.error.S3Exception;
import java.util.List;
import java.util.Optional;

/**
 * The bucket records of ADR 0039 as the backend needs them. Bucket records live in the metadata
 * group; object records do not (ADR 0040), which is why deletion goes through a seal.
 */
public interface BucketCatalog {
    Optional<S3Bucket> bucket(String name);

    /** The buckets {@code ownerId} owns, in name order. */
    List<S3Bucket> bucketsOf(String ownerId);

    /** A new bucket; BucketAlreadyOwnedByYou or BucketAlreadyExists when the name is taken. */
    S3Bucket create(String name, String ownerId) throws S3Exception;

    /**
     * Deletes the bucket the seal proves empty. True when deleted; false when the metadata refused
     * the seal (another incarnation, another layout, expired), so the caller seals again.
     * NoSuchBucket when there is no such bucket.
     */
    boolean delete(String name, S3Command.EmptySeal seal) throws S3Exception;

    /** ENABLED or SUSPENDED. */
    void setVersioning(String name, S3Bucket.Versioning versioning) throws S3Exception;
}
