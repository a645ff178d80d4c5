package io.keel.api.dto;

/** One bucket's counters: see {@link S3UsageView}. */
public record S3BucketUsageView(String name, long objects, long bytes, long versions, long storedBytes,
        long uploads) {}
