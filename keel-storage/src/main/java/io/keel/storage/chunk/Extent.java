package io.keel.storage.chunk;

/**
 * A byte range of a chunk. {@link ChunkOperations#extents} returns written ranges as extents
 * aligned to 4 KiB blocks, sorted and merged (no two touch or overlap).
 *
 * @param offset first byte, from the start of the chunk
 * @param length bytes, at least one
 */
public record Extent(long offset, long length) {
    public Extent {
        if (offset < 0 || length <= 0 || offset > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("invalid extent: offset " + offset + ", length " + length);
        }
    }

    /** The first byte after the extent. */
    public long end() {
        return offset + length;
    }
}
