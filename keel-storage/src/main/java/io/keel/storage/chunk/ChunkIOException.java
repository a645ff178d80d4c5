package io.keel.storage.chunk;

/**
 * The replica could not do the operation: a disk I/O error, an fsync failure, damaged chunk
 * metadata, a closed store, or (through a client) a lost or timed-out connection. The caller
 * should treat the replica as failed; whether the operation took effect is unknown.
 */
public final class ChunkIOException extends ChunkException {
    public ChunkIOException(String message) {
        super(message);
    }

    public ChunkIOException(String message, Throwable cause) {
        super(message, cause);
    }
}
