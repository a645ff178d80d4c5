package io.keel.storage.chunk;

/**
 * How a {@link ChunkStore} behaves.
 *
 * @param checksums     whether chunks created by this store keep a CRC32C per 4 KiB block. The
 *                      choice is recorded per chunk at creation and never changes for that chunk,
 *                      so reopening a disk with another setting cannot leave stale checksums.
 * @param chunkSize     bytes per chunk, a positive multiple of 4096 up to 1 GiB; fixed for a disk
 *                      once its store exists
 * @param reservedBytes free space held back from chunk data; writes that would allocate into it
 *                      fail with {@link DiskFullException}
 * @param maxOpenChunks how many chunks keep their files open at once (two descriptors each);
 *                      others are reopened on use
 */
public record ChunkStoreOptions(boolean checksums, int chunkSize, long reservedBytes, int maxOpenChunks) {

    public static final int BLOCK_SIZE = 4096;
    public static final int DEFAULT_CHUNK_SIZE = 64 << 20;
    public static final int MAX_CHUNK_SIZE = 1 << 30;
    public static final long DEFAULT_RESERVED_BYTES = 256L << 20;
    public static final int DEFAULT_MAX_OPEN_CHUNKS = 1024;

    public ChunkStoreOptions {
        if (chunkSize <= 0 || chunkSize % BLOCK_SIZE != 0 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException(
                    "chunkSize must be a positive multiple of 4096 up to 1 GiB: " + chunkSize);
        }
        if (reservedBytes < 0) {
            throw new IllegalArgumentException("reservedBytes must be >= 0: " + reservedBytes);
        }
        if (maxOpenChunks < 1) {
            throw new IllegalArgumentException("maxOpenChunks must be >= 1: " + maxOpenChunks);
        }
    }

    /** Checksums on, 64 MiB chunks, 256 MiB reserved, 1024 open chunks. */
    public static ChunkStoreOptions defaults() {
        return new ChunkStoreOptions(true, DEFAULT_CHUNK_SIZE, DEFAULT_RESERVED_BYTES, DEFAULT_MAX_OPEN_CHUNKS);
    }

    public ChunkStoreOptions withChecksums(boolean on) {
        return new ChunkStoreOptions(on, chunkSize, reservedBytes, maxOpenChunks);
    }

    public ChunkStoreOptions withChunkSize(int bytes) {
        return new ChunkStoreOptions(checksums, bytes, reservedBytes, maxOpenChunks);
    }

    public ChunkStoreOptions withReservedBytes(long bytes) {
        return new ChunkStoreOptions(checksums, chunkSize, bytes, maxOpenChunks);
    }

    public ChunkStoreOptions withMaxOpenChunks(int chunks) {
        return new ChunkStoreOptions(checksums, chunkSize, reservedBytes, chunks);
    }
}
