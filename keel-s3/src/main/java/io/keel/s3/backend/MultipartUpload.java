package io.keel.s3.backend;

import java.time.Instant;
import java.util.Objects;

/** An upload in progress: created by CreateMultipartUpload, gone after Complete or Abort. */
public record MultipartUpload(String bucket, String key, String uploadId, Instant initiated, NewObject object) {
    public MultipartUpload {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(initiated, "initiated");
        Objects.requireNonNull(object, "object");
    }
}
