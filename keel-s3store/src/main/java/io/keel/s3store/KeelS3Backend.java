package io.keel.s3store;

import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Command;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.DeleteResult;
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
import io.keel.s3store.data.ObjectData;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.Counter;
import io.keel.s3store.index.IndexCodec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The S3 backend on Keel (ADR 0043): buckets in the metadata (ADR 0039), object versions,
 * uploads and counters in the bucket's index shard (ADR 0040), bytes in {@link ObjectData}.
 * Every mutation is one conditional batch on the shard, retried when what it read changed.
 */
public final class KeelS3Backend implements S3Backend {
    /** How long an emptiness seal holds writes off while the metadata deletes the bucket. */
    static final Duration SEAL_TTL = Duration.ofSeconds(15);
    private static final int DELETE_ATTEMPTS = 4;

    private final String region;
    private final Store store;
    private final ObjectWrites writes;
    private final ObjectReads reads;
    private final MultipartUploads multipart;

    /**
     * @param region  the region buckets report (GetBucketLocation)
     * @param catalog bucket records
     * @param shards  index shard id → shard client
     * @param data    object bytes
     * @param ids     unique ids for version and upload ids (letters and digits are kept)
     */
    public KeelS3Backend(String region, BucketCatalog catalog, IndexShards shards, ObjectData data, Clock clock,
            Supplier<String> ids) {
        this.region = Objects.requireNonNull(region, "region");
        this.store = new Store(catalog, shards, data, clock, ids, new IndexCodec(),
                new HeadCache(HeadCache.DEFAULT_CAPACITY));
        this.writes = new ObjectWrites(store);
        this.reads = new ObjectReads(store);
        this.multipart = new MultipartUploads(store);
    }

    // --- buckets ---

    private BucketInfo info(S3Bucket b) {
        return new BucketInfo(b.name(), b.ownerId(), b.createdAt(), region);
    }

    @Override
    public BucketInfo createBucket(String bucket, String owner, String region) throws S3Exception {
        return info(store.catalog().create(bucket, owner));
    }

    @Override
    public Optional<BucketInfo> bucket(String bucket) {
        return store.catalog().bucket(bucket).map(this::info);
    }

    @Override
    public List<BucketInfo> listBuckets(String owner) {
        return store.catalog().bucketsOf(owner).stream().map(this::info).toList();
    }

    /**
     * Seal (the shard refuses additions and checks emptiness in one batch), then delete in the
     * metadata naming the seal, then tombstone the bucket id so a gateway that still believes in
     * the bucket cannot write into it after the seal expires.
     */
    @Override
    public void deleteBucket(String bucket) throws S3Exception {
        for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
            S3Bucket b = store.catalog().bucket(bucket).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
            BucketIndex idx = store.index(b);
            Instant until = store.now().plus(SEAL_TTL);
            if (!idx.seal(until)) {
                throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY);
            }
            if (store.catalog().delete(bucket, new S3Command.EmptySeal(b.id(), b.indexLayout(), until))) {
                idx.tombstone();
                return;
            }
        }
        throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The bucket changed while it was being deleted; retry");
    }

    @Override
    public VersioningState versioning(String bucket) throws S3Exception {
        return switch (store.index(bucket).bucket().versioning()) {
            case UNVERSIONED -> VersioningState.UNVERSIONED;
            case ENABLED -> VersioningState.ENABLED;
            case SUSPENDED -> VersioningState.SUSPENDED;
        };
    }

    @Override
    public void setVersioning(String bucket, VersioningState state) throws S3Exception {
        S3Bucket.Versioning v = switch (Objects.requireNonNull(state, "state")) {
            case ENABLED -> S3Bucket.Versioning.ENABLED;
            case SUSPENDED -> S3Bucket.Versioning.SUSPENDED;
            case UNVERSIONED -> throw new S3Exception(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION);
        };
        store.index(bucket);
        store.catalog().setVersioning(bucket, v);
    }

    /** The bucket's counters (for metrics and quotas); exact, read from its shard. */
    public BucketUsage usage(String bucket) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        return new BucketUsage(idx.counter(Counter.OBJECTS), idx.counter(Counter.BYTES), idx.counter(Counter.VERSIONS),
                idx.counter(Counter.STORED_BYTES), idx.counter(Counter.UPLOADS));
    }

    // --- objects ---

    @Override
    public ObjectInfo putObject(String bucket, String key, NewObject object, ObjectBody body) throws IOException {
        return writes.put(bucket, key, object, body);
    }

    @Override
    public StoredObject getObject(String bucket, String key, Optional<String> versionId) throws S3Exception {
        return reads.get(bucket, key, versionId);
    }

    @Override
    public DeleteResult deleteObject(String bucket, String key, Optional<String> versionId) throws S3Exception {
        return writes.delete(bucket, key, versionId);
    }

    @Override
    public ListPage<ObjectInfo> listObjects(String bucket, ListQuery query) throws S3Exception {
        return reads.listObjects(bucket, query);
    }

    @Override
    public ListPage<ObjectVersion> listVersions(String bucket, VersionQuery query) throws S3Exception {
        return reads.listVersions(bucket, query);
    }

    @Override
    public ObjectInfo copyObject(StoredObject source, String bucket, String key, NewObject object) throws IOException {
        return writes.copy(source, bucket, key, object);
    }

    @Override
    public ObjectInfo putTags(String bucket, String key, Optional<String> versionId, Map<String, String> tags)
            throws S3Exception {
        return writes.putTags(bucket, key, versionId, tags);
    }

    // --- multipart ---

    @Override
    public MultipartUpload createMultipartUpload(String bucket, String key, NewObject object) throws S3Exception {
        return multipart.create(bucket, key, object);
    }

    @Override
    public PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, ObjectBody body)
            throws IOException {
        return multipart.uploadPart(bucket, key, uploadId, partNumber, body);
    }

    @Override
    public MultipartUpload upload(String bucket, String key, String uploadId) throws S3Exception {
        return multipart.upload(bucket, key, uploadId);
    }

    @Override
    public ListPage<PartInfo> listParts(String bucket, String key, String uploadId, int afterPart, int maxParts)
            throws S3Exception {
        return multipart.listParts(bucket, key, uploadId, afterPart, maxParts);
    }

    @Override
    public ObjectInfo completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts)
            throws S3Exception {
        return multipart.complete(bucket, key, uploadId, parts);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) throws S3Exception {
        multipart.abort(bucket, key, uploadId);
    }

    @Override
    public ListPage<MultipartUpload> listMultipartUploads(String bucket, UploadQuery query) throws S3Exception {
        return multipart.list(bucket, query);
    }
}
