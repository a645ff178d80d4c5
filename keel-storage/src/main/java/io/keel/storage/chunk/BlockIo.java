package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The data path of one chunk: reads and writes on its data file and checksum sidecar, in 4 KiB
 * blocks. Callers hold the chunk's lock (shared for reads, exclusive for writes).
 *
 * <p>The sidecar holds one 8-byte entry per block at offset {@code 8 * block}: the block's
 * CRC32C, then a tag. An all-zero entry (what a sparse sidecar reads as) means the block was
 * never written and reads as zeros without touching the data file. A written block's tag is
 * {@code crc ^ TAG_MIX} in checksummed chunks (never zero together with the CRC, and a damaged
 * entry shows up as a mismatch) or {@link #UNCHECKED_TAG} in chunks without checksums.
 *
 * <p>Writes go to the data file first and the sidecar second. If a crash falls between them, a
 * block that held data fails its CRC on the next read (and is repaired from a replica), and a
 * block that was a hole stays a hole: the write was never acknowledged, so either is correct.
 */
final class BlockIo {
    static final int BLOCK = ChunkStoreOptions.BLOCK_SIZE;
    static final int ENTRY = 8;
    private static final int TAG_MIX = 0x4B45454C;
    private static final int UNCHECKED_TAG = -1;
    /** Only ever used as the source of absolute bulk puts, which leave it untouched. */
    /** The most one write system call takes (see {@link #writeFully}). */
    static final int WRITE_PIECE = 64 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private BlockIo() {}

    /** Sidecar entries for blocks {@code first .. first + count - 1}. */
    static final class Entries {
        final int first;
        final int count;
        private final ByteBuffer buf;

        private Entries(int first, int count, ByteBuffer buf) {
            this.first = first;
            this.count = count;
            this.buf = buf;
        }

        static Entries read(FileChannel crcFile, int first, int count) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(count * ENTRY);
            readFully(crcFile, b, (long) first * ENTRY);
            return new Entries(first, count, b);
        }

        boolean isHole(int block) {
            int at = (block - first) * ENTRY;
            return buf.getLong(at) == 0;
        }

        int crc(int block) {
            return buf.getInt((block - first) * ENTRY);
        }

        boolean tagValid(int block) {
            int at = (block - first) * ENTRY;
            return buf.getInt(at + 4) == (buf.getInt(at) ^ TAG_MIX);
        }

        int holes() {
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (buf.getLong(i * ENTRY) == 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** A write whose blocks are merged and checksummed, ready to go to disk. */
    static final class PreparedWrite {
        private final Chunk chunk;
        private final int first;
        private final int last;
        private final int midFirst;
        private final int holes;
        private final ByteBuffer head;
        private final ByteBuffer mid;
        private final ByteBuffer tail;
        private final ByteBuffer entries;

        private PreparedWrite(Chunk chunk, int first, int last, int midFirst, int holes, ByteBuffer head,
                ByteBuffer mid, ByteBuffer tail, ByteBuffer entries) {
            this.chunk = chunk;
            this.first = first;
            this.last = last;
            this.midFirst = midFirst;
            this.holes = holes;
            this.head = head;
            this.mid = mid;
            this.tail = tail;
            this.entries = entries;
        }

        /** Writes data, then checksums; returns how many of the blocks were holes before. */
        int apply(Chunk.Files f) throws IOException {
            if (head != null) {
                writeFully(f.data(), head, (long) first * BLOCK);
            }
            if (mid != null) {
                writeFully(f.data(), mid, (long) midFirst * BLOCK);
            }
            if (tail != null) {
                writeFully(f.data(), tail, (long) last * BLOCK);
            }
            writeFully(f.crc(), entries, (long) first * ENTRY);
            chunk.blocksRewritten(first, last);
            return holes;
        }
    }

    /**
     * Prepares writing {@code data}'s remaining bytes at {@code off} (its position is not
     * moved); {@code old} must cover exactly the touched blocks. Partially covered blocks are
     * read, verified and merged here, before anything changes, so that a block that is already
     * bad is refused rather than given a fresh checksum over bad bytes.
     */
    static PreparedWrite prepare(Chunk chunk, Chunk.Files f, long off, ByteBuffer data, Entries old,
            boolean checksummed) throws IOException {
        int len = data.remaining();
        long end = off + len;
        int first = old.first;
        int last = first + old.count - 1;
        long firstStart = (long) first * BLOCK;
        long lastStart = (long) last * BLOCK;
        CRC32C crc = new CRC32C();

        boolean headPartial = off != firstStart || end < firstStart + BLOCK;
        boolean tailPartial = last != first && end != lastStart + BLOCK;
        ByteBuffer head = null;
        ByteBuffer tail = null;
        if (headPartial) {
            head = loadForMerge(chunk, f, first, old, checksummed, crc);
            int n = (int) (Math.min(end, firstStart + BLOCK) - off);
            head.put((int) (off - firstStart), data, data.position(), n);
        }
        if (tailPartial) {
            tail = loadForMerge(chunk, f, last, old, checksummed, crc);
            tail.put(0, data, data.position() + (int) (lastStart - off), (int) (end - lastStart));
        }
        int midFirst = headPartial ? first + 1 : first;
        int midLast = tailPartial ? last - 1 : last;
        ByteBuffer mid = midFirst <= midLast
                ? data.slice(data.position() + (int) ((long) midFirst * BLOCK - off), (midLast - midFirst + 1) * BLOCK)
                : null;

        ByteBuffer entries = ByteBuffer.allocate(old.count * ENTRY);
        for (int b = first; b <= last; b++) {
            ByteBuffer content;
            if (b == first && headPartial) {
                content = head;
            } else if (b == last && tailPartial) {
                content = tail;
            } else {
                content = mid.slice((b - midFirst) * BLOCK, BLOCK);
            }
            if (checksummed) {
                int c = crc32c(crc, content);
                entries.putInt(c).putInt(c ^ TAG_MIX);
            } else {
                entries.putInt(0).putInt(UNCHECKED_TAG);
            }
        }
        return new PreparedWrite(chunk, first, last, midFirst, old.holes(), head, mid, tail, entries.flip());
    }

    private static ByteBuffer loadForMerge(Chunk chunk, Chunk.Files f, int block, Entries old, boolean checksummed,
            CRC32C crc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        // A hole's bytes on disk may be left over from an unacknowledged write: start from zeros.
        if (!old.isHole(block)) {
            readFully(f.data(), b, (long) block * BLOCK);
            if (checksummed) {
                verify(chunk, block, b.flip(), old, crc);
            }
        }
        return b.clear();
    }

    /**
     * Fills {@code dst}'s remaining bytes from {@code off} and advances its position. Only the
     * blocks touched are read and verified; whole blocks are read straight into {@code dst}, the
     * partial ones at either end through a 4 KiB scratch block.
     */
    static void read(Chunk chunk, Chunk.Files f, long off, ByteBuffer dst, boolean checksummed) throws IOException {
        int len = dst.remaining();
        int base = dst.position();
        if (len == 0) {
            return;
        }
        long end = off + len;
        int first = (int) (off / BLOCK);
        int last = (int) ((end - 1) / BLOCK);
        Entries e = Entries.read(f.crc(), first, last - first + 1);
        CRC32C crc = checksummed ? new CRC32C() : null;
        int b = first;
        while (b <= last) {
            long bStart = (long) b * BLOCK;
            long from = Math.max(bStart, off);
            int at = base + (int) (from - off);
            if (e.isHole(b)) {
                int r = b;
                while (r < last && e.isHole(r + 1)) {
                    r++;
                }
                zero(dst, at, (int) (Math.min(end, (long) (r + 1) * BLOCK) - from));
                b = r + 1;
            } else if (from != bStart || bStart + BLOCK > end) {
                ByteBuffer scratch = ByteBuffer.allocate(BLOCK);
                readFully(f.data(), scratch, bStart);
                scratch.flip();
                if (checksummed) {
                    verify(chunk, b, scratch.duplicate(), e, crc);
                }
                int n = (int) (Math.min(end, bStart + BLOCK) - from);
                dst.put(at, scratch, (int) (from - bStart), n);
                b++;
            } else {
                int r = b;
                while (r < last && !e.isHole(r + 1) && (long) (r + 2) * BLOCK <= end) {
                    r++;
                }
                readFully(f.data(), dst.slice(at, (r - b + 1) * BLOCK), bStart);
                if (checksummed) {
                    for (int k = b; k <= r; k++) {
                        verify(chunk, k, dst.slice(at + (k - b) * BLOCK, BLOCK), e, crc);
                    }
                }
                b = r + 1;
            }
        }
        dst.position(base + len);
    }

    /**
     * Verifies blocks {@code first .. first + count - 1}, reading only runs of written blocks
     * into {@code scratch} (at least {@code count} blocks), and returns the bad ones.
     */
    static List<Integer> scrub(Chunk chunk, Chunk.Files f, int first, int count, ByteBuffer scratch)
            throws IOException {
        Entries e = Entries.read(f.crc(), first, count);
        List<Integer> bad = new ArrayList<>();
        CRC32C crc = new CRC32C();
        int b = first;
        int last = first + count - 1;
        while (b <= last) {
            if (e.isHole(b)) {
                b++;
                continue;
            }
            int r = b;
            while (r < last && !e.isHole(r + 1)) {
                r++;
            }
            ByteBuffer run = scratch.clear().limit((r - b + 1) * BLOCK);
            readFully(f.data(), run, (long) b * BLOCK);
            for (int k = b; k <= r; k++) {
                ByteBuffer block = scratch.slice((k - b) * BLOCK, BLOCK);
                int actual = crc32c(crc, block);
                if (!e.tagValid(k) || actual != e.crc(k)) {
                    chunk.checksumMismatch(k, e.crc(k), actual);
                    bad.add(k);
                }
            }
            b = r + 1;
        }
        return bad;
    }

    /** Counts written blocks in a whole sidecar file; used to rebuild allocation after a crash. */
    static int countAllocated(FileChannel crcFile, int blocksPerChunk) throws IOException {
        Entries e = Entries.read(crcFile, 0, blocksPerChunk);
        return blocksPerChunk - e.holes();
    }

    private static void verify(Chunk chunk, int block, ByteBuffer content, Entries e, CRC32C crc) {
        int actual = crc32c(crc, content);
        if (!e.tagValid(block) || actual != e.crc(block)) {
            throw chunk.checksumMismatch(block, e.crc(block), actual);
        }
    }

    private static int crc32c(CRC32C crc, ByteBuffer content) {
        crc.reset();
        crc.update(content.duplicate());
        return (int) crc.getValue();
    }

    /** Writes {@code n} zero bytes at {@code pos}. */
    static void writeZeros(FileChannel ch, long pos, long n) throws IOException {
        long done = 0;
        while (done < n) {
            int k = (int) Math.min(n - done, ZEROS.capacity());
            writeFully(ch, ZEROS.slice(0, k), pos + done);
            done += k;
        }
    }

    private static void zero(ByteBuffer dst, int at, int n) {
        int done = 0;
        while (done < n) {
            int k = Math.min(n - done, ZEROS.capacity());
            dst.put(at + done, ZEROS, 0, k);
            done += k;
        }
    }

    /** Reads until {@code b} is full; past the end of the file (a sparse tail) it reads zeros. */
    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                zero(b, b.position(), b.remaining());
                b.position(b.limit());
                return;
            }
            p += n;
        }
    }

    /**
     * Writes all of {@code b} in pieces of at most {@link #WRITE_PIECE} bytes. The kernel sizes a
     * page-cache folio after the write that creates it, and ext4 walks every block of a folio on
     * each later write into it: a small write into a chunk filled by 1 MiB writes cost about 25 µs
     * of CPU against 5 µs with 64 KiB folios (measured; see ADR 0013), while writing 1 MiB in
     * 64 KiB pieces costs the same as in one call.
     */
    static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        int limit = b.limit();
        try {
            while (b.position() < limit) {
                // Pieces end on WRITE_PIECE boundaries of the file, so the folios they make are aligned.
                b.limit((int) Math.min(limit, b.position() + WRITE_PIECE - p % WRITE_PIECE));
                p += ch.write(b, p);
            }
        } finally {
            b.limit(limit);
        }
    }
}
