package io.keel.api.dto;

import java.time.Instant;

/**
 * A bucket as the administrator sees it. Object counts and sizes live in the object index (ADR
 * 0040), which the API cannot read yet, so they are not here.
 */
public record S3BucketView(String name, String ownerId, String ownerEmail, String versioning, Instant createdAt) {}
