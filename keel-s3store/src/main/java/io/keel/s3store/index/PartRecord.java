package io.keel.s3store.index;

import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.StoredChecksum;
import io.keel.s3store.data.DataLocation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One uploaded part and where its bytes are. {@code lastModified} in epoch ms. */
public record PartRecord(int partNumber, long size, String etag, long lastModified, String checksumAlgorithm,
        String checksum, DataLocation location) {
    public PartRecord {
        Objects.requireNonNull(etag, "etag");
        location = location == null ? DataLocation.EMPTY : location;
    }

    public static PartRecord of(int partNumber, long size, String etag, Instant at, Optional<StoredChecksum> checksum,
            DataLocation location) {
        return new PartRecord(partNumber, size, etag, at.toEpochMilli(), StoredMeta.algorithm(checksum),
                StoredMeta.value(checksum), location);
    }

    public PartInfo toInfo() {
        return new PartInfo(partNumber, size, etag, Instant.ofEpochMilli(lastModified),
                StoredMeta.checksum(checksumAlgorithm, checksum));
    }
}
