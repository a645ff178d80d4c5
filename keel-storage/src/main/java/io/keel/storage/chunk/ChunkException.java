package io.keel.storage.chunk;

/**
 * Every failure a chunk operation reports, locally or from a remote chunk service. The set is
 * closed so the wire protocol can carry each kind and the caller can switch over it exhaustively.
 *
 * <p>Unchecked: most callers (the replication layer) handle a few kinds and treat the rest as
 * "this replica failed".
 */
public abstract sealed class ChunkException extends RuntimeException
        permits ChunkNotFoundException,
                ChunkExistsException,
                StaleEpochException,
                VersionMismatchException,
                ChecksumMismatchException,
                DiskFullException,
                InvalidRequestException,
                ChunkIOException {

    ChunkException(String message) {
        super(message);
    }

    ChunkException(String message, Throwable cause) {
        super(message, cause);
    }
}
