package io.keel.s3.http;

import io.keel.s3.address.S3Address;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Set;

/**
 * Decides the operation. S3 routes on host + path + query, so a REST router cannot: the same
 * {@code PUT /b/k} is PutObject, CopyObject, UploadPart, UploadPartCopy or PutObjectTagging
 * depending on query keys and headers. A subresource we do not serve is NotImplemented, never
 * quietly treated as the plain operation (a PUT ?acl must not overwrite the object).
 */
public final class OperationResolver {
    /** S3 subresources that select operations this gateway does not implement (yet). */
    private static final Set<String> UNSUPPORTED = Set.of("acl", "accelerate", "analytics", "attributes", "cors",
            "encryption", "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "logging", "metadataTable",
            "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
            "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select", "torrent",
            "website", "renameObject", "session");

    private OperationResolver() {
    }

    /** Bucket subresources served when the gateway has a {@code BucketSettings} store. */
    private static final Set<String> SETTINGS = Set.of("cors", "policy", "lifecycle", "tagging");

    public static S3Operation resolve(String method, S3Address address, QueryParams q, SigV4Request wire)
            throws S3Exception {
        return resolve(method, address, q, wire, false);
    }

    /**
     * {@code settings}: the bucket configuration subresources (cors, policy, lifecycle, bucket
     * tagging) resolve to their operations; without a store for them they stay NotImplemented.
     */
    public static S3Operation resolve(String method, S3Address address, QueryParams q, SigV4Request wire,
            boolean settings) throws S3Exception {
        boolean bucketLevel = address.bucket().isPresent() && address.key().isEmpty();
        if (settings && bucketLevel) {
            for (String sub : SETTINGS) {
                if (q.has(sub)) {
                    return setting(method, address.bucket().get(), sub);
                }
            }
        }
        for (String sub : UNSUPPORTED) {
            if (q.has(sub)) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The ?" + sub + " subresource is not implemented.");
            }
        }
        if (address.isService()) {
            if (method.equals("GET")) {
                return new S3Operation.ListBuckets();
            }
            throw notAllowed();
        }
        String bucket = address.bucket().orElseThrow();
        if (address.key().isEmpty()) {
            return bucketOperation(method, bucket, q);
        }
        return objectOperation(method, bucket, address.key().get(), q, wire);
    }

    private static S3Operation bucketOperation(String method, String bucket, QueryParams q) throws S3Exception {
        if (q.has("tagging")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Bucket tagging is not implemented.");
        }
        return switch (method) {
            case "PUT" -> q.has("versioning") ? new S3Operation.PutBucketVersioning(bucket)
                    : new S3Operation.CreateBucket(bucket);
            case "HEAD" -> new S3Operation.HeadBucket(bucket);
            case "DELETE" -> new S3Operation.DeleteBucket(bucket);
            case "POST" -> {
                if (q.has("delete")) {
                    yield new S3Operation.DeleteObjects(bucket);
                }
                throw notAllowed();
            }
            case "GET" -> {
                if (q.has("location")) {
                    yield new S3Operation.GetBucketLocation(bucket);
                } else if (q.has("versioning")) {
                    yield new S3Operation.GetBucketVersioning(bucket);
                } else if (q.has("versions")) {
                    yield new S3Operation.ListObjectVersions(bucket);
                } else if (q.has("uploads")) {
                    yield new S3Operation.ListMultipartUploads(bucket);
                } else if (q.first("list-type").isPresent()) {
                    if (!q.first("list-type").get().equals("2")) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid list-type");
                    }
                    yield new S3Operation.ListObjectsV2(bucket);
                }
                yield new S3Operation.ListObjects(bucket);
            }
            default -> throw notAllowed();
        };
    }

    private static S3Operation objectOperation(String method, String bucket, String key, QueryParams q,
            SigV4Request wire) throws S3Exception {
        boolean copy = wire.header("x-amz-copy-source").isPresent();
        return switch (method) {
            case "PUT" -> {
                if (q.has("tagging")) {
                    yield new S3Operation.PutObjectTagging(bucket, key);
                }
                if (q.has("uploadId") || q.has("partNumber")) {
                    String uploadId = uploadId(q);
                    if (q.first("partNumber").isEmpty()) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "partNumber is required with uploadId");
                    }
                    yield copy ? new S3Operation.UploadPartCopy(bucket, key, uploadId)
                            : new S3Operation.UploadPart(bucket, key, uploadId);
                }
                yield copy ? new S3Operation.CopyObject(bucket, key) : new S3Operation.PutObject(bucket, key);
            }
            case "GET", "HEAD" -> {
                if (q.has("partNumber")) {
                    throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "GET by part number is not implemented.");
                }
                if (method.equals("GET") && q.has("tagging")) {
                    yield new S3Operation.GetObjectTagging(bucket, key);
                }
                if (method.equals("GET") && q.has("uploadId")) {
                    yield new S3Operation.ListParts(bucket, key, uploadId(q));
                }
                yield method.equals("GET") ? new S3Operation.GetObject(bucket, key)
                        : new S3Operation.HeadObject(bucket, key);
            }
            case "DELETE" -> {
                if (q.has("tagging")) {
                    yield new S3Operation.DeleteObjectTagging(bucket, key);
                }
                if (q.has("uploadId")) {
                    yield new S3Operation.AbortMultipartUpload(bucket, key, uploadId(q));
                }
                yield new S3Operation.DeleteObject(bucket, key);
            }
            case "POST" -> {
                if (q.has("uploads")) {
                    yield new S3Operation.CreateMultipartUpload(bucket, key);
                }
                if (q.has("uploadId")) {
                    yield new S3Operation.CompleteMultipartUpload(bucket, key, uploadId(q));
                }
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This POST operation is not implemented.");
            }
            default -> throw notAllowed();
        };
    }

    private static S3Operation setting(String method, String bucket, String sub) throws S3Exception {
        return switch (sub + " " + method) {
            case "cors PUT" -> new S3Operation.PutBucketCors(bucket);
            case "cors GET" -> new S3Operation.GetBucketCors(bucket);
            case "cors DELETE" -> new S3Operation.DeleteBucketCors(bucket);
            case "tagging PUT" -> new S3Operation.PutBucketTagging(bucket);
            case "tagging GET" -> new S3Operation.GetBucketTagging(bucket);
            case "tagging DELETE" -> new S3Operation.DeleteBucketTagging(bucket);
            case "policy PUT" -> new S3Operation.PutBucketPolicy(bucket);
            case "policy GET" -> new S3Operation.GetBucketPolicy(bucket);
            case "policy DELETE" -> new S3Operation.DeleteBucketPolicy(bucket);
            case "lifecycle PUT" -> new S3Operation.PutBucketLifecycleConfiguration(bucket);
            case "lifecycle GET" -> new S3Operation.GetBucketLifecycleConfiguration(bucket);
            case "lifecycle DELETE" -> new S3Operation.DeleteBucketLifecycle(bucket);
            default -> throw notAllowed();
        };
    }

    private static String uploadId(QueryParams q) throws S3Exception {
        String id = q.first("uploadId").orElse("");
        if (id.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD);
        }
        return id;
    }

    private static S3Exception notAllowed() {
        return new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
    }
}
