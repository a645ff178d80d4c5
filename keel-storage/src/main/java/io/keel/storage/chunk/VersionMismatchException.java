package io.keel.storage.chunk;

import java.util.Objects;

/**
 * The request's chunk version does not fit the chunk's: a write for another version, or a
 * {@code setVersion} that would move the version backwards. Nothing was changed.
 */
public final class VersionMismatchException extends ChunkException {
    private final ChunkId chunk;
    private final long chunkVersion;
    private final long requestVersion;

    public VersionMismatchException(ChunkId chunk, long chunkVersion, long requestVersion) {
        super("version mismatch on chunk " + Objects.requireNonNull(chunk, "chunk") + ": chunk has version "
                + chunkVersion + ", request has version " + requestVersion);
        this.chunk = chunk;
        this.chunkVersion = chunkVersion;
        this.requestVersion = requestVersion;
    }

    public ChunkId chunk() {
        return chunk;
    }

    public long chunkVersion() {
        return chunkVersion;
    }

    public long requestVersion() {
        return requestVersion;
    }
}
