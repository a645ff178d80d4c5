package io.keel.storage.scrub;

import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkId;
import java.util.List;

/**
 * Hears about damage as a {@link Scrubber} finds it, on the scrubber's thread, so that repair can
 * start before the pass ends. Implementations should hand slow work off; an exception thrown here
 * is logged and the pass goes on.
 */
@FunctionalInterface
public interface ScrubListener {
    ScrubListener NONE = (chunk, badBlocks) -> { };

    /** Blocks of {@code chunk} failed their checksum; their data must come from a replica. */
    void badChunk(ChunkId chunk, List<Integer> badBlocks);

    /** {@code chunk} could not be scrubbed at all (e.g. it failed an fsync and refuses all I/O). */
    default void chunkFailed(ChunkId chunk, ChunkException error) {}

    /** A pass completed; not called for a pass cut short by {@link Scrubber#stop()}. */
    default void passCompleted(ScrubReport report) {}
}
