package io.keel.s3.backend;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One object version as stored. {@code etag} is the quoted-less hex (MD5 for simple uploads,
 * {@code md5-of-md5s-N} for multipart); {@code versionId} is empty for buckets that never had
 * versioning, {@code "null"} for versions written while versioning was suspended.
 */
public record ObjectInfo(String bucket, String key, Optional<String> versionId, long size, String etag,
        Instant lastModified, String owner, ObjectMetadata metadata, Map<String, String> tags,
        Optional<StoredChecksum> checksum, int partCount) {
    public ObjectInfo {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(metadata, "metadata");
        tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(checksum, "checksum");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    public ObjectInfo withTags(Map<String, String> newTags) {
        return new ObjectInfo(bucket, key, versionId, size, etag, lastModified, owner, metadata, newTags, checksum,
                partCount);
    }
}
