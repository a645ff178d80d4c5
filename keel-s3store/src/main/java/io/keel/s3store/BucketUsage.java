package io.keel.s3store;

/**
 * A bucket's counters, exact because each changes in the batch that changes what it counts.
 *
 * @param objects     keys whose current version is an object
 * @param bytes       bytes of those current versions
 * @param versions    version records, delete markers included
 * @param storedBytes bytes of every stored version
 * @param uploads     open multipart uploads
 */
public record BucketUsage(long objects, long bytes, long versions, long storedBytes, long uploads) {
}
