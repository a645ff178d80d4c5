package io.keel.storage.chunk;

import java.util.Objects;

/** The chunk does not exist on this chunk service. */
public final class ChunkNotFoundException extends ChunkException {
    private final ChunkId chunk;

    public ChunkNotFoundException(ChunkId chunk) {
        super("chunk " + Objects.requireNonNull(chunk, "chunk") + " not found");
        this.chunk = chunk;
    }

    public ChunkId chunk() {
        return chunk;
    }
}
