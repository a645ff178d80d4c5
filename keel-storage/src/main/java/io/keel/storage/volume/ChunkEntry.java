package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import java.util.List;
import java.util.Objects;

/**
 * Chunk {@code index} of a volume as the catalog records it: stored as {@code chunk} (whose
 * volume id is the storage id the data lives under, not necessarily the volume's own) on every
 * replica of {@code replicas}, all at {@code version}. {@code dirty} (erasure-coded chunks only):
 * a writer may have changed some fragments of a stripe and not the others, so parity cannot be
 * trusted until the next writer recomputes it.
 */
public record ChunkEntry(long index, ChunkId chunk, long version, List<ReplicaRef> replicas, boolean dirty) {
    public ChunkEntry(long index, ChunkId chunk, long version, List<ReplicaRef> replicas) {
        this(index, chunk, version, replicas, false);
    }

    public ChunkEntry {
        Objects.requireNonNull(chunk, "chunk");
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
        if (version < 1) {
            throw new IllegalArgumentException("chunk version must be >= 1: " + version);
        }
    }

    public ChunkEntry withVersion(long v) {
        return new ChunkEntry(index, chunk, v, replicas, dirty);
    }
}
