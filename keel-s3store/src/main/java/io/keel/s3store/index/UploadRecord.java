package io.keel.s3store.index;

import java.util.Map;
import java.util.Objects;

/** An open multipart upload: what the object will be once completed. {@code initiated} in epoch ms. */
public record UploadRecord(String key, String uploadId, long initiated, String owner, StoredMeta metadata,
        Map<String, String> tags) {
    public UploadRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(metadata, "metadata");
        tags = Map.copyOf(tags == null ? Map.of() : tags);
    }
}
