package io.keel.storage.chunk;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of one chunk service, the same whether the disk is local ({@link ChunkStore}) or
 * reached over the network ({@code io.keel.storage.cs.ChunkClient}), so the replication layer can
 * treat local and remote replicas alike. Every method is thread-safe; failures are
 * {@link ChunkException}s.
 */
public interface ChunkOperations extends AutoCloseable {

    /** Bytes per chunk; every offset + length must stay within it. */
    int chunkSize();

    /**
     * Creates an empty chunk (reads as zeros) with the given version and epoch 0, durably.
     *
     * @throws ChunkExistsException if it exists
     * @throws DiskFullException    if the disk is full
     */
    void create(ChunkId id, long version);

    /** Deletes the chunk and its data. @throws ChunkNotFoundException if it does not exist */
    void delete(ChunkId id);

    /** The chunk's version, epoch and allocated bytes, or empty if it does not exist. */
    Optional<ChunkInfo> stat(ChunkId id);

    /** All chunks, sorted by id. */
    List<ChunkInfo> list();

    /**
     * Writes {@code data}'s remaining bytes at {@code offset}, advancing its position on success.
     * An empty write only applies the epoch, which lets a new lease holder fence the old one
     * before it writes anything.
     *
     * @param version the chunk version the writer believes current; must equal the chunk's
     * @param epoch   the writer's lease epoch; must be at least the highest that wrote the chunk,
     *                and becomes the new fence if higher
     * @param durable if true, data, checksums and metadata are on stable storage before return
     * @throws StaleEpochException       if {@code epoch} is older than the chunk's (nothing changes)
     * @throws VersionMismatchException  if {@code version} is not the chunk's (nothing changes)
     * @throws ChecksumMismatchException if a partially overwritten block was already corrupt
     * @throws DiskFullException         if the write would allocate into the reserve
     */
    void write(ChunkId id, long offset, ByteBuffer data, long version, long epoch, boolean durable);

    /**
     * Makes {@code length} bytes at {@code offset} read as zeros. Whole 4 KiB blocks in the range
     * stop being written blocks (they leave {@link #extents}, their space is freed where the
     * filesystem can punch holes, and they no longer count as allocated); the partial blocks at
     * either end are written with zeros. Version and epoch are checked and applied as by
     * {@link #write}, and an empty range only applies the epoch. Not durable until {@link #flush}.
     *
     * @throws StaleEpochException       if {@code epoch} is older than the chunk's (nothing changes)
     * @throws VersionMismatchException  if {@code version} is not the chunk's (nothing changes)
     * @throws ChecksumMismatchException if a partially covered block was already corrupt (nothing
     *                                   changes)
     */
    void trim(ChunkId id, long offset, long length, long version, long epoch);

    /**
     * {@link #write}, started without waiting for it: a remote service answers on a future, so
     * one thread can have a write in flight to every replica at once. The default runs the write
     * before returning, which is right for a local disk. {@code data}'s position is not moved,
     * and it must stay untouched until the future completes. Failures complete the future with
     * the exception {@link #write} would throw.
     */
    default CompletableFuture<Void> writeAsync(ChunkId id, long offset, ByteBuffer data, long version, long epoch,
            boolean durable) {
        return now(() -> write(id, offset, data.duplicate(), version, epoch, durable));
    }

    /**
     * {@link #writeAsync} without durability, whose request may wait in this connection's send
     * queue until {@link #sendHeld} or any later request on the connection sends it: a burst of
     * writes started by one thread then goes out in one system call. The caller must call
     * {@link #sendHeld} before it waits for anything. The default writes at once, like
     * {@link #writeAsync}.
     */
    default CompletableFuture<Void> writeAsyncHeld(ChunkId id, long offset, ByteBuffer data, long version,
            long epoch) {
        return writeAsync(id, offset, data, version, epoch, false);
    }

    /** Sends whatever {@link #writeAsyncHeld} left queued; nothing to do by default. */
    default void sendHeld() {}

    /** {@link #trim}, started without waiting for it, as {@link #writeAsync}. */
    default CompletableFuture<Void> trimAsync(ChunkId id, long offset, long length, long version, long epoch) {
        return now(() -> trim(id, offset, length, version, epoch));
    }

    private static CompletableFuture<Void> now(Runnable op) {
        try {
            op.run();
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The chunk's written ranges: sorted, merged, aligned to 4 KiB blocks. Everything outside
     * them reads as zeros, so copying only these rebuilds a replica. A snapshot: writes running
     * at the same time may or may not be included.
     */
    List<Extent> extents(ChunkId id);

    /**
     * Fills {@code dst}'s remaining bytes from {@code offset}, advancing its position. Never
     * written ranges read as zeros.
     *
     * @throws ChecksumMismatchException if a touched block fails its CRC32C
     */
    void read(ChunkId id, long offset, ByteBuffer dst);

    /**
     * Sets the chunk's version, durably. Versions only move forward.
     *
     * @throws VersionMismatchException if {@code newVersion} is lower than the current version
     */
    void setVersion(ChunkId id, long newVersion);

    /** Makes every completed write durable. */
    void flush();

    /** Verifies every written block of the chunk; returns the indexes of blocks that fail. */
    List<Integer> scrub(ChunkId id);

    /** Free space available for chunk data: filesystem free space minus the reserve. */
    long freeBytes();

    /** Bytes of written chunk data blocks, summed over all chunks. */
    long usedBytes();

    @Override
    void close();
}
