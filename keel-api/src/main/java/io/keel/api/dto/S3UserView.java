package io.keel.api.dto;

import java.time.Instant;

/** An S3 user with the number of its active access keys and of its buckets. */
public record S3UserView(String id, String email, String displayName, boolean suspended, int activeKeys, int buckets,
        Instant createdAt) {}
