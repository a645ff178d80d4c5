package io.keel.s3.http;

import java.util.Objects;

/**
 * The S3 operations this gateway serves, decided from method, bucket/key presence and the
 * subresource in the query. {@link #name()} is the operation's name in S3's API reference; it is
 * what authorisation and (later) metrics see.
 */
public sealed interface S3Operation {
    default String name() {
        return getClass().getSimpleName();
    }

    /** Operations on one bucket. */
    sealed interface OnBucket extends S3Operation {
        String bucket();
    }

    /** Put, get or delete one of a bucket's configuration documents. */
    sealed interface OnBucketSetting extends OnBucket {
        enum Verb { PUT, GET, DELETE }

        io.keel.s3.backend.BucketSetting kind();

        Verb verb();
    }

    /** Operations on one object key. */
    sealed interface OnObject extends OnBucket {
        String key();
    }

    record ListBuckets() implements S3Operation {
    }

    record CreateBucket(String bucket) implements OnBucket {
    }

    record HeadBucket(String bucket) implements OnBucket {
    }

    record DeleteBucket(String bucket) implements OnBucket {
    }

    record GetBucketLocation(String bucket) implements OnBucket {
    }

    record GetBucketVersioning(String bucket) implements OnBucket {
    }

    record PutBucketVersioning(String bucket) implements OnBucket {
    }

    record ListObjects(String bucket) implements OnBucket {
    }

    record ListObjectsV2(String bucket) implements OnBucket {
    }

    record ListObjectVersions(String bucket) implements OnBucket {
    }

    record ListMultipartUploads(String bucket) implements OnBucket {
    }

    record DeleteObjects(String bucket) implements OnBucket {
    }

    record PutBucketCors(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.CORS;
        }

        @Override
        public Verb verb() {
            return Verb.PUT;
        }
    }

    record GetBucketCors(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.CORS;
        }

        @Override
        public Verb verb() {
            return Verb.GET;
        }
    }

    record DeleteBucketCors(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.CORS;
        }

        @Override
        public Verb verb() {
            return Verb.DELETE;
        }
    }

    record PutBucketTagging(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.TAGGING;
        }

        @Override
        public Verb verb() {
            return Verb.PUT;
        }
    }

    record GetBucketTagging(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.TAGGING;
        }

        @Override
        public Verb verb() {
            return Verb.GET;
        }
    }

    record DeleteBucketTagging(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.TAGGING;
        }

        @Override
        public Verb verb() {
            return Verb.DELETE;
        }
    }

    record PutBucketPolicy(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.POLICY;
        }

        @Override
        public Verb verb() {
            return Verb.PUT;
        }
    }

    record GetBucketPolicy(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.POLICY;
        }

        @Override
        public Verb verb() {
            return Verb.GET;
        }
    }

    record DeleteBucketPolicy(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.POLICY;
        }

        @Override
        public Verb verb() {
            return Verb.DELETE;
        }
    }

    record PutBucketLifecycleConfiguration(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.LIFECYCLE;
        }

        @Override
        public Verb verb() {
            return Verb.PUT;
        }
    }

    record GetBucketLifecycleConfiguration(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.LIFECYCLE;
        }

        @Override
        public Verb verb() {
            return Verb.GET;
        }
    }

    record DeleteBucketLifecycle(String bucket) implements OnBucketSetting {
        @Override
        public io.keel.s3.backend.BucketSetting kind() {
            return io.keel.s3.backend.BucketSetting.LIFECYCLE;
        }

        @Override
        public Verb verb() {
            return Verb.DELETE;
        }
    }

    record PutObject(String bucket, String key) implements OnObject {
    }

    record CopyObject(String bucket, String key) implements OnObject {
    }

    record GetObject(String bucket, String key) implements OnObject {
    }

    record HeadObject(String bucket, String key) implements OnObject {
    }

    record DeleteObject(String bucket, String key) implements OnObject {
    }

    record GetObjectTagging(String bucket, String key) implements OnObject {
    }

    record PutObjectTagging(String bucket, String key) implements OnObject {
    }

    record DeleteObjectTagging(String bucket, String key) implements OnObject {
    }

    record CreateMultipartUpload(String bucket, String key) implements OnObject {
    }

    record UploadPart(String bucket, String key, String uploadId) implements OnObject {
        public UploadPart {
            Objects.requireNonNull(uploadId, "uploadId");
        }
    }

    record UploadPartCopy(String bucket, String key, String uploadId) implements OnObject {
        public UploadPartCopy {
            Objects.requireNonNull(uploadId, "uploadId");
        }
    }

    record ListParts(String bucket, String key, String uploadId) implements OnObject {
    }

    record CompleteMultipartUpload(String bucket, String key, String uploadId) implements OnObject {
    }

    record AbortMultipartUpload(String bucket, String key, String uploadId) implements OnObject {
    }
}
