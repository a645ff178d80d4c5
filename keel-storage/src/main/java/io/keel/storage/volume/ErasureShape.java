package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkId;
import java.util.Objects;

/**
 * The erasure code of a volume: {@code data} data fragments (M) and {@code parity} parity
 * fragments (N) per stripe. Each fragment of chunk {@code i} is a chunk of its own on a chunk
 * service, named by {@link #fragmentId}.
 */
public record ErasureShape(int data, int parity) {
    /** Most fragments a stripe may have (M + N). */
    public static final int MAX_FRAGMENTS = 32;

    public ErasureShape {
        if (data < 1 || parity < 1 || data + parity > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("an erasure code needs M >= 1, N >= 1 and M + N <= " + MAX_FRAGMENTS
                    + ": " + data + "+" + parity);
        }
    }

    public int fragments() {
        return data + parity;
    }

    /**
     * The chunk id fragment {@code fragment} of {@code chunk} is stored under: the storage id with
     * {@code -f<fragment>} appended (a storage id ends in its numeric generation, so this cannot
     * clash with another volume's).
     */
    public static ChunkId fragmentId(ChunkId chunk, int fragment) {
        Objects.requireNonNull(chunk, "chunk");
        if (fragment < 0 || fragment >= MAX_FRAGMENTS) {
            throw new IllegalArgumentException("fragment must be 0-" + (MAX_FRAGMENTS - 1) + ": " + fragment);
        }
        return new ChunkId(chunk.volumeId() + "-f" + fragment, chunk.index());
    }

    @Override
    public String toString() {
        return data + "+" + parity;
    }
}
