package io.keel.block.nbd;

import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import io.keel.block.BlockIoException.Kind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** A small in-memory device for fuzzing; ranges are checked like a real device would. */
final class MemoryBlockDevice implements BlockDevice {
    private final byte[] data;
    private final boolean readOnly;

    MemoryBlockDevice(int size, boolean readOnly) {
        this.data = new byte[size];
        this.readOnly = readOnly;
    }

    /** Exports one device under {@code name}. */
    static BlockExports exports(String name, MemoryBlockDevice device) {
        return new BlockExports() {
            @Override
            public Optional<BlockDevice> open(String exportName, boolean writeAccess) {
                return exportName.equals(name) ? Optional.of(device) : Optional.empty();
            }

            @Override
            public List<String> list() {
                return List.of(name);
            }
        };
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public int blockSize() {
        return 512;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws BlockIoException {
        check(offset, dst.remaining());
        dst.put(data, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(Kind.EPERM, "read-only");
        }
        check(offset, src.remaining());
        src.get(data, (int) offset, src.remaining());
    }

    @Override
    public void flush() {}

    @Override
    public void trim(long offset, long length) throws BlockIoException {
        writeZeroes(offset, length, false);
    }

    @Override
    public synchronized void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(Kind.EPERM, "read-only");
        }
        check(offset, length);
        java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override
    public void close() {}

    private void check(long offset, long length) throws BlockIoException {
        if (offset < 0 || length < 0 || offset > data.length || length > data.length - offset) {
            throw new BlockIoException(Kind.EINVAL, "out of range");
        }
    }
}
