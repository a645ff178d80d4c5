package io.keel.node.service;

import io.keel.meta.cluster.S3Command;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.KeyLister;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unversioned buckets in memory with the real listing rules ({@link KeyLister}); creating a bucket
 * records it in the metadata as the real catalog does. Versioning and multipart are not needed by
 * the bucket browser and throw.
 */
final class FakeS3Backend implements S3Backend {
    private record Bucket(BucketInfo info, TreeMap<String, byte[]> bytes, TreeMap<String, ObjectInfo> objects) {}

    private final S3TestMeta meta;
    private final Instant now;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** Uploads in progress per bucket: what makes a bucket without objects still not empty. */
    final Map<String, Integer> uploads = new ConcurrentHashMap<>();
    int opened;
    int closed;

    FakeS3Backend(S3TestMeta meta, Instant now) {
        this.meta = meta;
        this.now = now;
    }

    @Override
    public synchronized BucketInfo createBucket(String bucket, String owner, String region) throws S3Exception {
        Bucket b = buckets.get(bucket);
        if (b != null) {
            throw new S3Exception(b.info().owner().equals(owner) ? S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU
                    : S3ErrorCode.BUCKET_ALREADY_EXISTS);
        }
        meta.submit(new S3Command.CreateBucket("b-" + bucket, bucket, owner, "idx-0", now));
        BucketInfo info = new BucketInfo(bucket, owner, now, region);
        buckets.put(bucket, new Bucket(info, new TreeMap<>(), new TreeMap<>()));
        return info;
    }

    @Override
    public Optional<BucketInfo> bucket(String bucket) {
        return Optional.ofNullable(buckets.get(bucket)).map(Bucket::info);
    }

    @Override
    public List<BucketInfo> listBuckets(String owner) {
        return buckets.values().stream().map(Bucket::info).filter(b -> b.owner().equals(owner)).toList();
    }

    @Override
    public synchronized void deleteBucket(String bucket) throws S3Exception {
        Bucket b = require(bucket);
        if (!b.objects().isEmpty() || uploads.getOrDefault(bucket, 0) > 0) {
            throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY);
        }
        buckets.remove(bucket);
    }

    @Override
    public VersioningState versioning(String bucket) throws S3Exception {
        require(bucket);
        return VersioningState.UNVERSIONED;
    }

    @Override
    public void setVersioning(String bucket, VersioningState state) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ObjectInfo putObject(String bucket, String key, NewObject object, ObjectBody body) throws IOException {
        Bucket b = require(bucket);
        byte[] bytes = body.readAllBytes();
        ObjectInfo info = new ObjectInfo(bucket, key, Optional.empty(), bytes.length, body.etag(), now, object.owner(),
                object.metadata(), object.tags(), Optional.empty(), 0);
        synchronized (this) {
            b.bytes().put(key, bytes);
            b.objects().put(key, info);
        }
        return info;
    }

    @Override
    public synchronized StoredObject getObject(String bucket, String key, Optional<String> versionId)
            throws S3Exception {
        Bucket b = require(bucket);
        ObjectInfo info = b.objects().get(key);
        if (info == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
        }
        byte[] bytes = b.bytes().get(key);
        opened++;
        return new StoredObject() {
            @Override
            public ObjectInfo info() {
                return info;
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(bytes, (int) offset, (int) length);
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }

    @Override
    public synchronized DeleteResult deleteObject(String bucket, String key, Optional<String> versionId)
            throws S3Exception {
        Bucket b = require(bucket);
        b.bytes().remove(key);
        return b.objects().remove(key) == null ? new DeleteResult.Absent()
                : new DeleteResult.Removed(Optional.empty(), false);
    }

    @Override
    public synchronized ListPage<ObjectInfo> listObjects(String bucket, ListQuery query) throws S3Exception {
        TreeMap<String, ObjectInfo> objects = require(bucket).objects();
        return KeyLister.page((k, inclusive) -> Optional.ofNullable(inclusive ? objects.ceilingEntry(k)
                : objects.higherEntry(k)), query);
    }

    @Override
    public ListPage<ObjectVersion> listVersions(String bucket, VersionQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ObjectInfo copyObject(StoredObject source, String bucket, String key, NewObject object) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ObjectInfo putTags(String bucket, String key, Optional<String> versionId, Map<String, String> tags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MultipartUpload createMultipartUpload(String bucket, String key, NewObject object) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, ObjectBody body) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MultipartUpload upload(String bucket, String key, String uploadId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListPage<PartInfo> listParts(String bucket, String key, String uploadId, int afterPart, int maxParts) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ObjectInfo completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListPage<MultipartUpload> listMultipartUploads(String bucket, UploadQuery query) {
        throw new UnsupportedOperationException();
    }

    private Bucket require(String bucket) throws S3Exception {
        Bucket b = buckets.get(bucket);
        if (b == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        return b;
    }
}
