package io.keel.s3.backend;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a client states about an object and gets back on GET/HEAD: the representation headers
 * and the {@code x-amz-meta-*} user metadata (names lower-cased, without the prefix).
 */
public record ObjectMetadata(String contentType, Optional<String> contentEncoding, Optional<String> contentDisposition,
        Optional<String> contentLanguage, Optional<String> cacheControl, Optional<String> expires,
        Map<String, String> user) {
    public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    public ObjectMetadata {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(contentEncoding, "contentEncoding");
        Objects.requireNonNull(contentDisposition, "contentDisposition");
        Objects.requireNonNull(contentLanguage, "contentLanguage");
        Objects.requireNonNull(cacheControl, "cacheControl");
        Objects.requireNonNull(expires, "expires");
        user = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(user, "user")));
    }

    public static ObjectMetadata empty() {
        return new ObjectMetadata(DEFAULT_CONTENT_TYPE, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of());
    }
}
