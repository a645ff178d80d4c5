package io.keel.storage.volume;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client needs to do I/O on a volume: its size and chunk size, the storage id its own
 * chunks are written under, how many replicas its policy wants, and the allocated chunks by
 * index. Unallocated chunks read as zeros. {@code ec} is the erasure code of an erasure-coded
 * volume (whose {@code replicas} is then M + N, one service per fragment), null for a replicated one.
 */
public record VolumeLayout(String volumeId, String storageId, long sizeBytes, int chunkSize, int replicas,
        Map<Long, ChunkEntry> chunks, ErasureShape ec) {
    public VolumeLayout(String volumeId, String storageId, long sizeBytes, int chunkSize, int replicas,
            Map<Long, ChunkEntry> chunks) {
        this(volumeId, storageId, sizeBytes, chunkSize, replicas, chunks, null);
    }

    public VolumeLayout {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(storageId, "storageId");
        chunks = Map.copyOf(Objects.requireNonNull(chunks, "chunks"));
        if (chunkSize <= 0 || Integer.bitCount(chunkSize) != 1) {
            throw new IllegalArgumentException("chunk size must be a power of two: " + chunkSize);
        }
        if (sizeBytes < 0 || replicas < 1) {
            throw new IllegalArgumentException("bad layout: size " + sizeBytes + ", replicas " + replicas);
        }
    }

    public Optional<ChunkEntry> chunk(long index) {
        return Optional.ofNullable(chunks.get(index));
    }

    public long chunkCount() {
        return (sizeBytes + chunkSize - 1) / chunkSize;
    }
}
