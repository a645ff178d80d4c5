package io.keel.s3.backend;

import java.time.Instant;
import java.util.Objects;

/** A bucket as listed: its name, owner (the S3 user id), creation time and region. */
public record BucketInfo(String name, String owner, Instant created, String region) {
    public BucketInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(region, "region");
    }
}
