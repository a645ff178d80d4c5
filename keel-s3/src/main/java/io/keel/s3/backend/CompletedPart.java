package io.keel.s3.backend;

import java.util.Objects;

/** A part as named in CompleteMultipartUpload: its number and the ETag the client got (unquoted). */
public record CompletedPart(int partNumber, String etag) {
    public CompletedPart {
        Objects.requireNonNull(etag, "etag");
    }
}
