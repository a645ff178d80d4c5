package io.keel.s3store.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of objects and parts live (ADR 0040): Keel volumes under the S3 cluster's
 * storage policy. Small bodies are packed next to each other; large ones get chunk-aligned
 * ranges, so deleting them returns whole chunks.
 *
 * <p>Order of a write: {@link #write} returns only when every byte is durable on every live
 * replica, and only then does the caller commit an index record naming the location. A location
 * no record names (a crashed or refused PUT) is garbage to be reclaimed, never visible.
 */
public interface ObjectData {
    /**
     * Reads {@code body} to end-of-stream and stores its bytes. An exception from the body or
     * the storage leaves nothing referenced.
     *
     * @param sizeHint the length the client announced, or -1; used to choose packing or a
     *                 chunk-aligned range, never trusted as the size
     */
    DataLocation write(InputStream body, long sizeHint) throws IOException;

    /** {@code length} bytes from {@code offset} of the data at {@code location}. */
    InputStream open(DataLocation location, long offset, long length) throws IOException;

    /** No index record names {@code location} any more; its space may be reclaimed. */
    void release(DataLocation location);
}
