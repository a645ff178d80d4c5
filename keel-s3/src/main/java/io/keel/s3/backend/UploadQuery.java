package io.keel.s3.backend;

import java.util.Objects;
import java.util.Optional;

/** A ListMultipartUploads page, ordered by key then initiation; markers exclusive. */
public record UploadQuery(String prefix, Optional<String> keyMarker, Optional<String> uploadIdMarker, int maxUploads) {
    public UploadQuery {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(keyMarker, "keyMarker");
        Objects.requireNonNull(uploadIdMarker, "uploadIdMarker");
    }
}
