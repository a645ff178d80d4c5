package io.keel.block;

import io.keel.block.BlockIoException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A block device over a raw file, for tests and benchmarks. Its size is the file's size when opened.
 *
 * <p>All I/O is positional, so concurrent requests proceed in parallel. Trim and write-zeroes both
 * write zeroes: the file stays fully allocated, and trimmed ranges read back as zeroes, which keeps
 * tests deterministic. Every handle goes through the kernel's page cache of one inode and
 * {@code fdatasync} flushes that inode whichever descriptor it is called on, so handles onto the same
 * file are {@linkplain #multiConnSafe() multi-connection safe}.
 */
public final class FileBlockDevice implements BlockDevice {
    static final int DEFAULT_BLOCK_SIZE = 4096;
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final boolean readOnly;
    private volatile ByteBuffer zeroes;

    private FileBlockDevice(Path path, FileChannel channel, long size, boolean readOnly) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.readOnly = readOnly;
    }

    /** Opens {@code file}, which must exist; read-only unless {@code writable}. */
    public static FileBlockDevice open(Path file, boolean writable) throws BlockIoException {
        Objects.requireNonNull(file, "file");
        try {
            FileChannel ch = writable
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ);
            return new FileBlockDevice(file, ch, ch.size(), !writable);
        } catch (IOException e) {
            throw new BlockIoException(Kind.EIO, "cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates (or truncates) a sparse file of {@code size} bytes and opens it writable. */
    public static FileBlockDevice create(Path file, long size) throws BlockIoException {
        Objects.requireNonNull(file, "file");
        if (size < 0) {
            throw new BlockIoException(Kind.EINVAL, "negative size " + size);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (size > 0) {
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
        } catch (IOException e) {
            throw new BlockIoException(Kind.EIO, "cannot create " + file + ": " + e.getMessage(), e);
        }
        return open(file, true);
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return DEFAULT_BLOCK_SIZE;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean multiConnSafe() {
        return true;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws BlockIoException {
        checkRange(offset, dst.remaining());
        long pos = offset;
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, pos);
                if (n < 0) {
                    throw new BlockIoException(Kind.EIO, path + " shrank below " + size + " bytes");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw wrap("read", offset, e);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws BlockIoException {
        checkWritable();
        checkRange(offset, src.remaining());
        writeFully(offset, src);
        if (fua) {
            flush();
        }
    }

    @Override
    public void flush() throws BlockIoException {
        if (readOnly) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw wrap("flush", 0, e);
        }
    }

    @Override
    public void trim(long offset, long length) throws BlockIoException {
        writeZeroes(offset, length, false);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        checkWritable();
        checkRange(offset, length);
        ByteBuffer zero = zeroBuffer();
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            ByteBuffer chunk = zero.duplicate();
            chunk.limit((int) Math.min(ZERO_CHUNK, end - pos));
            writeFully(pos, chunk);
            pos += chunk.limit();
        }
        if (fua) {
            flush();
        }
    }

    @Override
    public void close() throws BlockIoException {
        try {
            channel.close();
        } catch (IOException e) {
            throw wrap("close", 0, e);
        }
    }

    @Override
    public String toString() {
        return "FileBlockDevice[" + path + ", " + size + " bytes" + (readOnly ? ", read-only]" : "]");
    }

    private void writeFully(long offset, ByteBuffer src) throws BlockIoException {
        long pos = offset;
        try {
            while (src.hasRemaining()) {
                pos += channel.write(src, pos);
            }
        } catch (IOException e) {
            throw wrap("write", offset, e);
        }
    }

    private ByteBuffer zeroBuffer() {
        ByteBuffer z = zeroes;
        if (z == null) {
            // Racing initialisations only waste one allocation; the contents are identical.
            z = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();
            zeroes = z;
        }
        return z;
    }

    private void checkWritable() throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(Kind.EPERM, path + " is open read-only");
        }
    }

    private void checkRange(long offset, long length) throws BlockIoException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new BlockIoException(Kind.EINVAL,
                    "range " + offset + "+" + length + " outside device of " + size + " bytes");
        }
    }

    private BlockIoException wrap(String op, long offset, IOException e) {
        if (e instanceof BlockIoException b) {
            return b;
        }
        String msg = op + " at " + offset + " on " + path + ": " + e.getMessage();
        String text = String.valueOf(e.getMessage());
        // The JDK surfaces ENOSPC/EDQUOT/EFBIG only as message text.
        Kind kind = text.contains("No space left") || text.contains("quota") || text.contains("too large")
                ? Kind.ENOSPC : Kind.EIO;
        return new BlockIoException(kind, msg, e);
    }
}
