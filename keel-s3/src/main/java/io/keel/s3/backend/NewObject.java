package io.keel.s3.backend;

import java.util.Map;
import java.util.Objects;

/** What a write names besides the bytes: the writer (becomes the owner), metadata and tags. */
public record NewObject(String owner, ObjectMetadata metadata, Map<String, String> tags) {
    public NewObject {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(metadata, "metadata");
        tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
    }
}
