package io.keel.s3.backend;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One uploaded part; {@code etag} is the hex MD5 of its bytes. */
public record PartInfo(int partNumber, long size, String etag, Instant lastModified, Optional<StoredChecksum> checksum) {
    public static final int MIN_PART_NUMBER = 1;
    public static final int MAX_PART_NUMBER = 10_000;

    public PartInfo {
        if (partNumber < MIN_PART_NUMBER || partNumber > MAX_PART_NUMBER) {
            throw new IllegalArgumentException("part number out of range: " + partNumber);
        }
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(checksum, "checksum");
    }
}
