package io.keel.iscsi.scsi;

import static io.keel.iscsi.scsi.Cdbs.*;

import io.keel.block.BlockIoException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * The SBC-3 data commands of one LUN: READ, WRITE, VERIFY, WRITE AND VERIFY, WRITE SAME, UNMAP,
 * COMPARE AND WRITE, SYNCHRONIZE CACHE. Ordinary I/O shares a lock that COMPARE AND WRITE takes
 * exclusively, because its read-compare-write must be atomic against every other write (VMware ATS
 * relies on it for its on-disk locks).
 */
final class BlockCommands {
    private final LunBackend backend;
    private final BlockLimits limits;
    private final int blockSize;
    private final long blocks;
    private final ReadBuffers buffers;
    /** Not a ReentrantReadWriteLock: its per-thread hold counts cost a thread-local map per command (LogicalUnit). */
    private final ReadWriteLock atomic = new StampedLock().asReadWriteLock();

    /** @param blocks the LUN's capacity as configured, which may trail the backend's after an extend */
    BlockCommands(LunBackend backend, BlockLimits limits, long blocks, ReadBuffers buffers) {
        this.backend = backend;
        this.buffers = buffers;
        this.limits = limits;
        this.blockSize = backend.blockSize();
        this.blocks = blocks;
    }

    long blockCount() {
        return blocks;
    }

    record Extent(long lba, long count) {}

    /** The LBA and block count of a READ, WRITE, VERIFY or WRITE AND VERIFY CDB. */
    static Extent extent(ScsiRequest r) {
        return switch (r.u8(0)) {
            case READ_6, WRITE_6 -> {
                int n = r.u8(4);
                yield new Extent(((r.u8(1) & 0x1f) << 16) | r.u16(2), r.u8(0) == READ_6 && n == 0 ? 256 : n);
            }
            case READ_10, WRITE_10, VERIFY_10, WRITE_AND_VERIFY_10, SYNCHRONIZE_CACHE_10, WRITE_SAME_10, PRE_FETCH_10 ->
                    new Extent(r.u32(2), r.u16(7));
            case READ_12, WRITE_12, VERIFY_12, WRITE_AND_VERIFY_12 -> new Extent(r.u32(2), r.u32(6));
            default -> new Extent(r.u64(2), r.u32(10));
        };
    }

    private void checkRange(long lba, long count) throws SenseException {
        if (lba < 0 || count < 0 || lba > blocks || count > blocks - lba) {
            throw new SenseException(Sense.lbaOutOfRange());
        }
    }

    private static void noProtection(ScsiRequest r) throws SenseException {
        if ((r.u8(1) & 0xe0) != 0) {
            throw new SenseException(Sense.invalidFieldInCdb(1)); // RDPROTECT/WRPROTECT: no protection info
        }
    }

    ScsiResult read(ScsiRequest r) throws SenseException {
        if (r.u8(0) != READ_6) {
            noProtection(r);
        }
        Extent e = extent(r);
        checkRange(e.lba(), e.count());
        if (e.count() > limits.maxTransferBlocks()) {
            throw new SenseException(Sense.invalidFieldInCdb(r.u8(0) == READ_16 ? 10 : 7));
        }
        ByteBuffer data = buffers.take((int) (e.count() * blockSize));
        atomic.readLock().lock();
        try {
            backend.read(e.lba() * blockSize, data.duplicate());
        } catch (BlockIoException x) {
            buffers.give(data);
            throw new SenseException(map(x, Sense.readError()));
        } finally {
            atomic.readLock().unlock();
        }
        return ScsiResult.good(data, () -> buffers.give(data));
    }

    ScsiResult write(ScsiRequest r, boolean verify) throws SenseException {
        if (r.u8(0) != WRITE_6) {
            noProtection(r);
        }
        Extent e = extent(r);
        checkRange(e.lba(), e.count());
        if (e.count() > limits.maxTransferBlocks()) {
            throw new SenseException(Sense.invalidFieldInCdb(r.u8(0) == WRITE_16 ? 10 : 7));
        }
        writable();
        // The transport may deliver less than the CDB asks for (Expected Data Transfer Length below
        // it): write the whole blocks that arrived, and let the transport report the residual.
        int length = (int) (Math.min(e.count(), r.dataOut().length / blockSize) * blockSize);
        boolean fua = verify || (r.u8(0) != WRITE_6 && (r.u8(1) & 0x08) != 0);
        atomic.readLock().lock();
        try {
            if (length > 0) {
                backend.write(e.lba() * blockSize, ByteBuffer.wrap(r.dataOut(), 0, length), fua);
            }
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.writeError()));
        } finally {
            atomic.readLock().unlock();
        }
        return ScsiResult.good().withDataOutLength(e.count() * blockSize);
    }

    ScsiResult verify(ScsiRequest r) throws SenseException {
        noProtection(r);
        Extent e = extent(r);
        checkRange(e.lba(), e.count());
        int bytchk = (r.u8(1) >> 1) & 0x3;
        if (bytchk == 0 || e.count() == 0) {
            return ScsiResult.good(); // the medium is checked by the chunk services' scrubbing
        }
        if (bytchk == 2) {
            throw new SenseException(Sense.invalidFieldInCdb(1));
        }
        if (e.count() > limits.maxTransferBlocks()) {
            throw new SenseException(Sense.invalidFieldInCdb(r.u8(0) == VERIFY_16 ? 10 : 7));
        }
        int length = (int) (e.count() * blockSize);
        int sent = bytchk == 3 ? blockSize : length;
        if (r.dataOut().length < sent) {
            throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x4b, 0x00));
        }
        byte[] medium = new byte[length];
        atomic.readLock().lock();
        try {
            backend.read(e.lba() * blockSize, ByteBuffer.wrap(medium));
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.readError()));
        } finally {
            atomic.readLock().unlock();
        }
        for (int i = 0; i < length; i++) {
            if (medium[i] != r.dataOut()[bytchk == 3 ? i % blockSize : i]) {
                throw new SenseException(Sense.miscompare(i));
            }
        }
        return ScsiResult.good();
    }

    ScsiResult writeSame(ScsiRequest r) throws SenseException {
        boolean ws16 = r.u8(0) == WRITE_SAME_16;
        int flags = r.u8(1);
        if ((flags & 0xe0) != 0 || (flags & 0x10) != 0 || (!ws16 && (flags & 0x01) != 0)) {
            throw new SenseException(Sense.invalidFieldInCdb(1)); // WRPROTECT, ANCHOR, NDOB on WS10
        }
        boolean unmap = (flags & 0x08) != 0;
        boolean ndob = ws16 && (flags & 0x01) != 0;
        Extent e = extent(r);
        if (e.count() == 0 || e.count() > limits.maxWriteSameBlocks()) {
            throw new SenseException(Sense.invalidFieldInCdb(ws16 ? 10 : 7));
        }
        checkRange(e.lba(), e.count());
        writable();
        byte[] block = ndob ? new byte[blockSize] : r.dataOut();
        if (block.length < blockSize) {
            throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x4b, 0x00));
        }
        boolean zero = isZero(block, blockSize);
        atomic.readLock().lock();
        try {
            if (unmap && zero) {
                backend.unmap(e.lba() * blockSize, e.count() * blockSize);
            } else {
                int perWrite = (int) Math.min(e.count(), Math.max(1, (1 << 20) / blockSize));
                byte[] pattern = new byte[perWrite * blockSize];
                for (int i = 0; i < perWrite; i++) {
                    System.arraycopy(block, 0, pattern, i * blockSize, blockSize);
                }
                for (long done = 0; done < e.count(); ) {
                    int n = (int) Math.min(perWrite, e.count() - done);
                    backend.write((e.lba() + done) * blockSize, ByteBuffer.wrap(pattern, 0, n * blockSize), false);
                    done += n;
                }
            }
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.writeError()));
        } finally {
            atomic.readLock().unlock();
        }
        return ScsiResult.good();
    }

    ScsiResult unmap(ScsiRequest r) throws SenseException {
        if ((r.u8(1) & 0x01) != 0) {
            throw new SenseException(Sense.invalidFieldInCdb(1)); // ANCHOR: we do not support anchored state
        }
        int listLength = r.u16(7);
        if (listLength == 0) {
            return ScsiResult.good();
        }
        writable();
        byte[] p = r.dataOut();
        if (listLength < 8 || p.length < 8) {
            throw new SenseException(Sense.parameterListLength());
        }
        ByteBuffer b = ByteBuffer.wrap(p, 0, Math.min(p.length, listLength));
        int descriptorBytes = b.getShort(2) & 0xffff;
        if (descriptorBytes % 16 != 0 && descriptorBytes / 16 == 0) {
            throw new SenseException(Sense.parameterListLength());
        }
        int count = Math.min(descriptorBytes, b.limit() - 8) / 16;
        if (count > limits.maxUnmapDescriptors()) {
            throw new SenseException(Sense.invalidFieldInParameters(2));
        }
        long[][] ranges = new long[count][];
        for (int i = 0; i < count; i++) {
            long lba = b.getLong(8 + 16 * i);
            long n = b.getInt(16 + 16 * i) & 0xffffffffL;
            if (n > limits.maxUnmapBlocks()) {
                throw new SenseException(Sense.invalidFieldInParameters(16 + 16 * i));
            }
            checkRange(lba, n);
            ranges[i] = new long[] {lba, n};
        }
        atomic.readLock().lock();
        try {
            for (long[] range : ranges) {
                if (range[1] > 0) {
                    backend.unmap(range[0] * blockSize, range[1] * blockSize);
                }
            }
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.writeError()));
        } finally {
            atomic.readLock().unlock();
        }
        return ScsiResult.good();
    }

    ScsiResult compareAndWrite(ScsiRequest r) throws SenseException {
        noProtection(r);
        long lba = r.u64(2);
        int n = r.u8(13);
        if (n == 0) {
            // Zero blocks compare nothing; data sent with it means the initiator meant something else
            // (a count of 256 wrapped to 0).
            if (r.dataOut().length > 0) {
                throw new SenseException(Sense.invalidFieldInCdb(13));
            }
            return ScsiResult.good();
        }
        if (n > limits.maxCompareAndWrite()) {
            throw new SenseException(Sense.invalidFieldInCdb(13));
        }
        checkRange(lba, n);
        writable();
        int length = n * blockSize;
        if (r.dataOut().length < 2 * length) {
            throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x4b, 0x00));
        }
        byte[] medium = new byte[length];
        atomic.writeLock().lock();
        try {
            backend.read(lba * blockSize, ByteBuffer.wrap(medium));
            int mismatch = Arrays.mismatch(medium, 0, length, r.dataOut(), 0, length);
            if (mismatch >= 0) {
                throw new SenseException(Sense.miscompare(mismatch));
            }
            backend.write(lba * blockSize, ByteBuffer.wrap(r.dataOut(), length, length), (r.u8(1) & 0x08) != 0);
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.writeError()));
        } finally {
            atomic.writeLock().unlock();
        }
        return ScsiResult.good();
    }

    ScsiResult synchronizeCache(ScsiRequest r) throws SenseException {
        Extent e = extent(r);
        checkRange(e.lba(), e.count());
        try {
            backend.flush();
        } catch (BlockIoException x) {
            throw new SenseException(map(x, Sense.writeError()));
        }
        return ScsiResult.good();
    }

    ScsiResult preFetch(ScsiRequest r) throws SenseException {
        Extent e = extent(r);
        checkRange(e.lba(), e.count());
        return ScsiResult.status(ScsiStatus.CONDITION_MET);
    }

    private void writable() throws SenseException {
        if (backend.readOnly()) {
            throw new SenseException(Sense.writeProtected());
        }
    }

    private static boolean isZero(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static Sense map(BlockIoException e, Sense io) {
        return switch (e.kind()) {
            case EIO -> io;
            case ENOSPC -> Sense.spaceAllocationFailed();
            case EPERM -> Sense.writeProtected();
            case EINVAL -> Sense.lbaOutOfRange();
        };
    }
}
