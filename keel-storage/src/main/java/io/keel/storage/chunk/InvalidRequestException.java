package io.keel.storage.chunk;

/**
 * The request is malformed for this store: a range outside the chunk, a negative version, a
 * payload larger than a chunk, or options that conflict with how the disk was set up.
 */
public final class InvalidRequestException extends ChunkException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
