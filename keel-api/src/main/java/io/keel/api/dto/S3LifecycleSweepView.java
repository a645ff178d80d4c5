package io.keel.api.dto;

/**
 * What one lifecycle sweep did (ADR 0046): current versions expired (a delete marker where the
 * bucket keeps versions), noncurrent versions removed, unfinished multipart uploads aborted, over
 * {@code buckets} buckets with a lifecycle configuration; {@code failedBuckets} could not be swept
 * (the node's log says why) and are tried again by the next sweep.
 */
public record S3LifecycleSweepView(long buckets, long expired, long noncurrentRemoved, long uploadsAborted,
        long failedBuckets) {}
