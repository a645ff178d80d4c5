package io.keel.s3.backend;

import io.keel.s3.error.S3Exception;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where buckets and objects live. The HTTP layer above has verified signatures, authorised the
 * caller and decided the S3 operation; a backend only stores and answers. Failures a client
 * caused are {@link S3Exception}s with the S3 code (NoSuchBucket, NoSuchKey, NoSuchUpload,
 * BucketNotEmpty, ...); anything else is an internal error.
 *
 * <p>Visibility: a write (object, part, completed upload) becomes visible atomically, and only
 * after its {@link ObjectBody} returned end-of-stream — which is when every integrity check of
 * the request has passed. A body that throws leaves no trace. Readers see either the old or the
 * new version, never a mix.
 *
 * <p>Version ids: empty for buckets that never had versioning; {@code "null"} for writes while
 * versioning is suspended (replacing the previous null version); otherwise unique, opaque ids.
 */
public interface S3Backend {
    // --- buckets ---

    /** BucketAlreadyOwnedByYou if {@code owner} has it, BucketAlreadyExists if someone else does. */
    BucketInfo createBucket(String bucket, String owner, String region) throws S3Exception;

    Optional<BucketInfo> bucket(String bucket);

    /** The buckets {@code owner} owns, by name. */
    List<BucketInfo> listBuckets(String owner);

    /** NoSuchBucket, or BucketNotEmpty while any object version or multipart upload remains. */
    void deleteBucket(String bucket) throws S3Exception;

    VersioningState versioning(String bucket) throws S3Exception;

    /** ENABLED or SUSPENDED; UNVERSIONED cannot be set. */
    void setVersioning(String bucket, VersioningState state) throws S3Exception;

    // --- objects ---

    /** Stores a new version (or replaces the object) once {@code body} has ended. */
    ObjectInfo putObject(String bucket, String key, NewObject object, ObjectBody body) throws IOException;

    /**
     * The current version, or the named one. NoSuchKey when there is none or the current version
     * is a delete marker; a named delete marker is MethodNotAllowed.
     */
    StoredObject getObject(String bucket, String key, Optional<String> versionId) throws S3Exception;

    /**
     * Without a version id: removes the object (unversioned), or adds a delete marker (versioned,
     * or suspended: the marker becomes the null version). With one: removes exactly that version.
     */
    DeleteResult deleteObject(String bucket, String key, Optional<String> versionId) throws S3Exception;

    /** Current, non-deleted objects. */
    ListPage<ObjectInfo> listObjects(String bucket, ListQuery query) throws S3Exception;

    ListPage<ObjectVersion> listVersions(String bucket, VersionQuery query) throws S3Exception;

    /**
     * A new version of {@code key} with the bytes of {@code source} (a handle the caller got from
     * {@link #getObject} and checked conditions on) and the given metadata and tags.
     */
    ObjectInfo copyObject(StoredObject source, String bucket, String key, NewObject object) throws IOException;

    /** Replaces the tags of the current or named version; returns the version it applied to. */
    ObjectInfo putTags(String bucket, String key, Optional<String> versionId, Map<String, String> tags)
            throws S3Exception;

    // --- multipart ---

    MultipartUpload createMultipartUpload(String bucket, String key, NewObject object) throws S3Exception;

    /** Stores (or replaces) a part once {@code body} has ended. NoSuchUpload if it is gone. */
    PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, ObjectBody body)
            throws IOException;

    MultipartUpload upload(String bucket, String key, String uploadId) throws S3Exception;

    /** Parts with numbers greater than {@code afterPart}, ascending. */
    ListPage<PartInfo> listParts(String bucket, String key, String uploadId, int afterPart, int maxParts)
            throws S3Exception;

    /**
     * Commits the object from the named parts (checked with {@link MultipartRules#assemble} in
     * the same atomic step) and forgets the upload.
     */
    ObjectInfo completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts)
            throws S3Exception;

    void abortMultipartUpload(String bucket, String key, String uploadId) throws S3Exception;

    ListPage<MultipartUpload> listMultipartUploads(String bucket, UploadQuery query) throws S3Exception;
}
