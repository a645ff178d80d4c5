package io.keel.storage.chunk;

import java.util.Objects;

/**
 * What a chunk service knows about one chunk it holds.
 *
 * @param version        the chunk's version, set by create and {@code setVersion}
 * @param epoch          the highest writer epoch that has written the chunk (0 until written)
 * @param allocatedBytes bytes of data blocks that have been written (holes not counted)
 */
public record ChunkInfo(ChunkId id, long version, long epoch, long allocatedBytes) {
    public ChunkInfo {
        Objects.requireNonNull(id, "id");
        if (version < 0 || epoch < 0 || allocatedBytes < 0) {
            throw new IllegalArgumentException(
                    "negative version/epoch/allocatedBytes: " + version + "/" + epoch + "/" + allocatedBytes);
        }
    }
}
