package io.keel.s3.http;

import io.keel.s3.auth.SigV4Request;
import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.BucketSettings;
import io.keel.s3.backend.S3Authorizer;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.ops.BucketHandlers;
import io.keel.s3.ops.BucketSettingHandlers;
import io.keel.s3.ops.CorsResponder;
import io.keel.s3.ops.ListHandlers;
import io.keel.s3.ops.MultipartHandlers;
import io.keel.s3.ops.ObjectHandlers;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Authorises an operation and runs its handler. Constructed with a {@link BucketSettings} store,
 * it also serves the bucket configuration subresources (CORS, tagging, policy, lifecycle) and
 * browser CORS; without one those stay NotImplemented and OPTIONS is MethodNotAllowed.
 */
public final class S3Dispatcher {
    private final S3Backend backend;
    private final S3Authorizer authorizer;
    private final BucketHandlers buckets;
    private final ObjectHandlers objects;
    private final ListHandlers lists;
    private final MultipartHandlers multipart;
    private final Optional<BucketSettingHandlers> settings;
    private final Optional<CorsResponder> cors;

    public S3Dispatcher(S3Backend backend, S3Authorizer authorizer, String region) {
        this(backend, authorizer, region, Optional.empty());
    }

    public S3Dispatcher(S3Backend backend, S3Authorizer authorizer, String region, BucketSettings settings) {
        this(backend, authorizer, region, Optional.of(Objects.requireNonNull(settings, "settings")));
    }

    private S3Dispatcher(S3Backend backend, S3Authorizer authorizer, String region, Optional<BucketSettings> store) {
        this.settings = store.map(BucketSettingHandlers::new);
        this.cors = store.map(s -> new CorsResponder(s, backend));
        this.backend = Objects.requireNonNull(backend, "backend");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.buckets = new BucketHandlers(backend, region);
        this.objects = new ObjectHandlers(backend, authorizer);
        this.lists = new ListHandlers(backend);
        this.multipart = new MultipartHandlers(backend, objects);
    }

    /** Whether bucket settings (and so CORS) are served. */
    public boolean servesSettings() {
        return settings.isPresent();
    }

    /** Answers an unsigned OPTIONS preflight for {@code bucket} from its CORS rules. */
    public S3Response preflight(String bucket, SigV4Request wire) throws S3Exception {
        return cors.orElseThrow(() -> new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED)).preflight(bucket, wire);
    }

    /** The CORS headers for an actual request carrying {@code Origin}; none without settings. */
    public List<S3Response.Header> corsHeaders(String bucket, String method, String origin) {
        return cors.map(c -> c.actual(bucket, method, origin)).orElse(List.of());
    }

    public S3Response dispatch(S3Operation op, S3Request r) throws IOException {
        Optional<String> bucketName = op instanceof S3Operation.OnBucket b ? Optional.of(b.bucket()) : Optional.empty();
        Optional<String> key = op instanceof S3Operation.OnObject o ? Optional.of(o.key()) : Optional.empty();
        // CreateBucket is judged without the existing bucket: whoever owns it, the answer is
        // BucketAlreadyExists / BucketAlreadyOwnedByYou, never AccessDenied.
        Optional<BucketInfo> bucket = bucketName.isEmpty() || op instanceof S3Operation.CreateBucket
                ? Optional.empty() : backend.bucket(bucketName.get());
        authorizer.authorize(r.principal(), new S3Authorizer.Action(op.name(), bucketName, key,
                key.isPresent() ? r.param("versionId") : Optional.empty()), bucket);
        if (bucketName.isPresent() && bucket.isEmpty() && !(op instanceof S3Operation.CreateBucket)) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        // A client naming the owner it expects must not act on someone else's same-named bucket.
        Optional<String> expectedOwner = r.header("x-amz-expected-bucket-owner");
        if (expectedOwner.isPresent() && bucket.isPresent() && !bucket.get().owner().equals(expectedOwner.get())) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
        try {
            return run(op, r);
        } catch (S3Exception e) {
            if (e.code() == S3ErrorCode.NO_SUCH_KEY && key.isPresent() && bucket.isPresent()
                    && !r.principal().equals(Optional.of(bucket.get().owner()))) {
                // As S3 does: whoever may not list the bucket learns nothing about which keys exist.
                authorizer.authorize(r.principal(), new S3Authorizer.Action("ListObjects", bucketName,
                        Optional.empty()), bucket);
            }
            throw e;
        }
    }

    private S3Response run(S3Operation op, S3Request r) throws IOException {
        return switch (op) {
            case S3Operation.ListBuckets x -> buckets.listBuckets(r);
            case S3Operation.CreateBucket x -> buckets.create(r);
            case S3Operation.HeadBucket x -> buckets.head(r);
            case S3Operation.DeleteBucket x -> buckets.delete(r);
            case S3Operation.GetBucketLocation x -> buckets.location(r);
            case S3Operation.GetBucketVersioning x -> buckets.getVersioning(r);
            case S3Operation.PutBucketVersioning x -> buckets.putVersioning(r);
            case S3Operation.OnBucketSetting x -> settings.orElseThrow(() -> new S3Exception(
                    S3ErrorCode.NOT_IMPLEMENTED, "Bucket settings are not served here.")).handle(x, r);
            case S3Operation.ListObjects x -> lists.listV1(r);
            case S3Operation.ListObjectsV2 x -> lists.listV2(r);
            case S3Operation.ListObjectVersions x -> lists.listVersions(r);
            case S3Operation.ListMultipartUploads x -> lists.listUploads(r);
            case S3Operation.DeleteObjects x -> objects.deleteMany(r);
            case S3Operation.PutObject x -> objects.put(r);
            case S3Operation.CopyObject x -> objects.copy(r);
            case S3Operation.GetObject x -> objects.get(r, false);
            case S3Operation.HeadObject x -> objects.get(r, true);
            case S3Operation.DeleteObject x -> objects.delete(r);
            case S3Operation.GetObjectTagging x -> objects.getTags(r);
            case S3Operation.PutObjectTagging x -> objects.putTags(r);
            case S3Operation.DeleteObjectTagging x -> objects.deleteTags(r);
            case S3Operation.CreateMultipartUpload x -> multipart.create(r);
            case S3Operation.UploadPart x -> multipart.uploadPart(r, x.uploadId());
            case S3Operation.UploadPartCopy x -> multipart.uploadPartCopy(r, x.uploadId());
            case S3Operation.ListParts x -> multipart.listParts(r, x.uploadId());
            case S3Operation.CompleteMultipartUpload x -> multipart.complete(r, x.uploadId());
            case S3Operation.AbortMultipartUpload x -> multipart.abort(r, x.uploadId());
        };
    }
}
