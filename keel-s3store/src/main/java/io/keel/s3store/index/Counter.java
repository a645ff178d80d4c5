package io.keel.s3store.index;

/**
 * Per-bucket counters kept by {@code ShardBatch.Add} in the batch that changes what they count,
 * so they are exact. {@link #VERSIONS} and {@link #UPLOADS} decide emptiness for the seal.
 */
public enum Counter {
    /** Keys whose current version is an object (not a delete marker): what ListObjects shows. */
    OBJECTS,
    /** Bytes of those current versions. */
    BYTES,
    /** Every version record, delete markers included. */
    VERSIONS,
    /** Bytes of every stored version: the space the bucket holds. */
    STORED_BYTES,
    /** Open multipart uploads. */
    UPLOADS
}
