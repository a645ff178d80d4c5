package io.keel.block;

import java.nio.ByteBuffer;

/**
 * A fixed-size, byte-addressed block device as seen by the export protocols.
 *
 * <p>Implementations must be safe for concurrent use: protocol layers issue several requests at
 * once on one handle. Offsets and lengths need not be aligned to {@link #blockSize()}; that is a
 * preference for clients, not a constraint. Callers must not interrupt a thread blocked in one of
 * these methods (file channels close themselves on interrupt).
 */
public interface BlockDevice extends AutoCloseable {

    /** Size in bytes; constant for the life of the handle. */
    long size();

    /** Preferred I/O granularity in bytes: a power of two, at least 512 (e.g. 4096). */
    int blockSize();

    /** True if every write, trim and write-zeroes on this handle fails with {@link BlockIoException.Kind#EPERM}. */
    boolean readOnly();

    /**
     * True if all handles onto the same storage see each other's completed writes, and a
     * {@link #flush()} on any handle persists writes completed through every handle. The NBD server
     * advertises multi-connection support only for such devices (or read-only ones), because clients
     * then spread one workload over several connections and flush on just one of them.
     */
    default boolean multiConnSafe() {
        return false;
    }

    /** Fills {@code dst} from its position to its limit with the bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws BlockIoException;

    /**
     * Writes {@code src} from its position to its limit at {@code offset}. With {@code fua} the data
     * is on stable storage when this returns; without it, only after a later {@link #flush()}.
     */
    void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException;

    /**
     * Starts a write of {@code src} (position to limit) at {@code offset}, without FUA, and returns
     * a future that completes when {@link #write} would have returned; or returns null when this
     * device cannot start this write without waiting, and the caller then uses {@link #write}.
     * The future fails with a {@link BlockIoException}, possibly wrapped in a
     * {@link java.util.concurrent.CompletionException}. It may complete on a thread of the device's
     * own (one that reads from a replica, say): callbacks chained to it must be short and must not
     * block. {@code src} must stay untouched until it completes. Writes started one after another
     * from one thread are applied in that order. The default starts nothing.
     */
    default java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src)
            throws BlockIoException {
        return null;
    }

    /**
     * {@link #writeAsync(long, ByteBuffer)}; with {@code hold} the device may keep what it sends on
     * (requests to replicas) queued until {@link #sendHeld}, so that a burst of writes goes out
     * together. A caller that holds must call {@link #sendHeld} before it waits for anything.
     */
    default java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold)
            throws BlockIoException {
        return writeAsync(offset, src);
    }

    /** Sends what writes started with {@code hold} left queued; nothing by default. */
    default void sendHeld() {}

    /** Makes every write that completed before this call durable. */
    void flush() throws BlockIoException;

    /** Advises that the range is no longer needed; its contents are unspecified afterwards. */
    void trim(long offset, long length) throws BlockIoException;

    /**
     * Makes the range read as zeroes. The device may deallocate the range to do so; a caller that
     * needs the range to stay allocated writes zero buffers with {@link #write} instead.
     */
    void writeZeroes(long offset, long length, boolean fua) throws BlockIoException;

    /** Releases the handle; other handles onto the same storage are unaffected. */
    @Override
    void close() throws BlockIoException;
}
