package io.keel.s3store.index;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.StoredChecksum;
import io.keel.s3store.data.DataLocation;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of an object, or a delete marker, as the index stores it.
 *
 * @param versionId    "" in a never-versioned bucket, "null" for versions written while
 *                     suspended, else an id from {@link IndexKeys#versionId}
 * @param stamp        orders the key's versions (the record's key holds it inverted); strictly
 *                     greater than the stamp of the version it superseded
 * @param lastModified epoch milliseconds
 * @param location     where the bytes are; empty for markers and empty objects
 */
public record VersionRecord(String versionId, long stamp, boolean deleteMarker, long size, String etag,
        long lastModified, String owner, StoredMeta metadata, Map<String, String> tags, String checksumAlgorithm,
        String checksum, int partCount, DataLocation location) {
    public VersionRecord {
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(metadata, "metadata");
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        location = location == null ? DataLocation.EMPTY : location;
    }

    public static VersionRecord object(String versionId, long stamp, long size, String etag, Instant at, String owner,
            StoredMeta metadata, Map<String, String> tags, Optional<StoredChecksum> checksum, int partCount,
            DataLocation location) {
        return new VersionRecord(versionId, stamp, false, size, etag, at.toEpochMilli(), owner, metadata, tags,
                StoredMeta.algorithm(checksum), StoredMeta.value(checksum), partCount, location);
    }

    public static VersionRecord marker(String versionId, long stamp, Instant at, String owner) {
        return new VersionRecord(versionId, stamp, true, 0, "", at.toEpochMilli(), owner,
                new StoredMeta("", null, null, null, null, null, Map.of()), Map.of(), null, null, 0,
                DataLocation.EMPTY);
    }

    /** The null version of S3: written unversioned or while versioning was suspended. */
    @JsonIgnore // derived, not stored
    public boolean isNullVersion() {
        return versionId.isEmpty() || versionId.equals("null");
    }

    /** Bytes this version holds in the bucket. */
    public long storedBytes() {
        return deleteMarker ? 0 : size;
    }

    public boolean matches(String requestedVersionId) {
        return requestedVersionId.equals("null") ? isNullVersion() : versionId.equals(requestedVersionId);
    }

    public VersionRecord withTags(Map<String, String> newTags) {
        return new VersionRecord(versionId, stamp, deleteMarker, size, etag, lastModified, owner, metadata, newTags,
                checksumAlgorithm, checksum, partCount, location);
    }

    public ObjectInfo toInfo(String bucket, String key) {
        return new ObjectInfo(bucket, key, versionId.isEmpty() ? Optional.empty() : Optional.of(versionId), size, etag,
                Instant.ofEpochMilli(lastModified), owner, metadata.toMetadata(), tags,
                StoredMeta.checksum(checksumAlgorithm, checksum), partCount);
    }

    public ObjectVersion toVersion(String bucket, String key, boolean latest) {
        if (deleteMarker) {
            return new ObjectVersion.DeleteMarker(key, versionId.isEmpty() ? "null" : versionId, latest,
                    Instant.ofEpochMilli(lastModified), owner);
        }
        return new ObjectVersion.Version(toInfo(bucket, key), latest);
    }
}
