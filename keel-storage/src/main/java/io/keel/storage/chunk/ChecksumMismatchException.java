package io.keel.storage.chunk;

import java.util.Objects;

/**
 * A 4 KiB block's data does not match its stored CRC32C. The block must be repaired from another
 * replica; a partial write to it is refused rather than giving bad data a fresh checksum.
 */
public final class ChecksumMismatchException extends ChunkException {
    private final ChunkId chunk;
    private final int block;
    private final int expectedCrc;
    private final int actualCrc;

    public ChecksumMismatchException(ChunkId chunk, int block, int expectedCrc, int actualCrc) {
        super("checksum mismatch in chunk " + Objects.requireNonNull(chunk, "chunk") + " block " + block
                + " (bytes " + (long) block * ChunkStoreOptions.BLOCK_SIZE + "-"
                + ((long) (block + 1) * ChunkStoreOptions.BLOCK_SIZE - 1) + "): expected crc32c "
                + hex(expectedCrc) + ", actual " + hex(actualCrc)
                + (expectedCrc == actualCrc ? " (the block's checksum entry itself is damaged)" : ""));
        this.chunk = chunk;
        this.block = block;
        this.expectedCrc = expectedCrc;
        this.actualCrc = actualCrc;
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    public ChunkId chunk() {
        return chunk;
    }

    /** Index of the bad 4 KiB block within the chunk. */
    public int block() {
        return block;
    }

    public int expectedCrc() {
        return expectedCrc;
    }

    public int actualCrc() {
        return actualCrc;
    }
}
