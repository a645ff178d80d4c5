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
