package io.keel.iscsi.scsi;

import io.keel.block.BlockIoException;
import java.nio.ByteBuffer;

/**
 * The storage behind one LUN. Offsets are bytes and always multiples of {@link #blockSize()}.
 * Implementations must be safe for concurrent use.
 */
public interface LunBackend extends AutoCloseable {

    /** Capacity in bytes, a multiple of {@link #blockSize()}. */
    long size();

    /** The logical block size: 512 or 4096. */
    int blockSize();

    boolean readOnly();

    /** A stable identifier of the storage (the volume id), from which the NAA and serial derive. */
    String uniqueId();

    void read(long offset, ByteBuffer dst) throws BlockIoException;

    void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException;

    void flush() throws BlockIoException;

    /** Deallocates the range; it reads back as zeroes afterwards (we report LBPRZ). */
    void unmap(long offset, long length) throws BlockIoException;

    @Override
    void close() throws BlockIoException;
}
