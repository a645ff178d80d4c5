package io.keel.storage.chunk;

import java.util.Objects;

/**
 * A write carried an older writer epoch than one that already wrote the chunk: the sender has
 * lost its lease and is fenced off. Nothing was changed.
 */
public final class StaleEpochException extends ChunkException {
    private final ChunkId chunk;
    private final long chunkEpoch;
    private final long requestEpoch;

    public StaleEpochException(ChunkId chunk, long chunkEpoch, long requestEpoch) {
        super("stale epoch on chunk " + Objects.requireNonNull(chunk, "chunk") + ": write has epoch "
                + requestEpoch + " but the chunk was written at epoch " + chunkEpoch);
        this.chunk = chunk;
        this.chunkEpoch = chunkEpoch;
        this.requestEpoch = requestEpoch;
    }

    public ChunkId chunk() {
        return chunk;
    }

    public long chunkEpoch() {
        return chunkEpoch;
    }

    public long requestEpoch() {
        return requestEpoch;
    }
}
