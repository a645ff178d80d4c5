package io.keel.api.dto;

import java.util.List;
import java.util.Objects;

/**
 * What the S3 cluster stores, from the object index's per-bucket counters (exact: each changes in
 * the batch that changes what it counts). {@code bytes} are the current versions' sizes, what
 * clients see; {@code storedBytes} every stored version's, the space the buckets hold before the
 * policy's redundancy. {@code freeBytes} is how much more object data the S3 policy's tier could
 * take: its chunk services' free space divided by the policy's overhead (an estimate: placement
 * rules and the data volumes' preallocation are not counted). Buckets whose counters could not be
 * read are named in {@code unreadBuckets} and left out of the sums.
 */
public record S3UsageView(long buckets, long objects, long bytes, long versions, long storedBytes, long uploads,
        long freeBytes, List<S3BucketUsageView> perBucket, List<String> unreadBuckets) {
    public S3UsageView {
        perBucket = List.copyOf(Objects.requireNonNull(perBucket, "perBucket"));
        unreadBuckets = List.copyOf(Objects.requireNonNull(unreadBuckets, "unreadBuckets"));
    }
}
