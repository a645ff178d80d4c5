package io.keel.storage.chunk;

import java.util.Objects;

/** A create named a chunk that already exists. */
public final class ChunkExistsException extends ChunkException {
    private final ChunkId chunk;

    public ChunkExistsException(ChunkId chunk) {
        super("chunk " + Objects.requireNonNull(chunk, "chunk") + " already exists");
        this.chunk = chunk;
    }

    public ChunkId chunk() {
        return chunk;
    }
}
