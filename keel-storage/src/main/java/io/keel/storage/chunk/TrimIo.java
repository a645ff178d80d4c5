package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The data path of a trim, under the chunk's exclusive lock. Partial blocks at either end are
 * rewritten with zeros through {@link BlockIo#prepare}, so a partial trim of a corrupt block is
 * refused exactly like a partial write. Whole blocks become holes: their sidecar entries are
 * zeroed, and only then is their data punched out, so that whatever a crash leaves, a block whose
 * data is gone is never one whose checksum entry still claims it.
 */
final class TrimIo {
    private static final int BLOCK = BlockIo.BLOCK;
    private static final int BATCH_BLOCKS = 8192;

    private TrimIo() {}

    /** A trim whose edge blocks are verified and merged, ready to apply. */
    static final class PreparedTrim {
        private final Chunk chunk;
        private final List<BlockIo.PreparedWrite> edges;
        private final int wholeFirst;
        private final int wholeLast;

        private PreparedTrim(Chunk chunk, List<BlockIo.PreparedWrite> edges, int wholeFirst, int wholeLast) {
            this.chunk = chunk;
            this.edges = edges;
            this.wholeFirst = wholeFirst;
            this.wholeLast = wholeLast;
        }

        /**
         * Applies the trim, telling {@code freedBlocks} how many written blocks became holes batch by
         * batch, so that the allocation counts stay true if a later batch fails.
         */
        void apply(Chunk.Files f, IntConsumer freedBlocks) throws IOException {
            for (BlockIo.PreparedWrite edge : edges) {
                edge.apply(f);
            }
            if (wholeFirst > wholeLast) {
                return;
            }
            int freed = 0;
            for (int first = wholeFirst; first <= wholeLast; first += BATCH_BLOCKS) {
                int n = clearEntries(f, first, Math.min(BATCH_BLOCKS, wholeLast - first + 1));
                freedBlocks.accept(n);
                freed += n;
            }
            chunk.blocksRewritten(wholeFirst, wholeLast);
            if (freed > 0) {
                // Punching blocks that were already holes is harmless (their bytes are never
                // read), and one call over the whole range beats one per run of written blocks.
                HolePunch.punch(chunk.dataPath, (long) wholeFirst * BLOCK, (long) (wholeLast - wholeFirst + 1) * BLOCK);
            }
        }
    }

    /**
     * Prepares zeroing {@code length} bytes at {@code offset}: verifies and merges the partial
     * blocks at either end that hold data (a partial block that is a hole already reads as zeros).
     * Nothing is changed yet, so a corrupt edge block fails the trim before it does anything.
     */
    static PreparedTrim prepare(Chunk c, Chunk.Files f, long offset, long length, boolean checksummed)
            throws IOException {
        long end = offset + length;
        int wholeFirst = (int) ((offset + BLOCK - 1) / BLOCK);
        int wholeLast = (int) (end / BLOCK) - 1;
        List<BlockIo.PreparedWrite> edges = new ArrayList<>(2);
        long headEnd = Math.min(end, (long) wholeFirst * BLOCK);
        if (offset < headEnd) {
            edges.addAll(zeroPartial(c, f, offset, headEnd, checksummed));
        }
        long tailStart = Math.max(headEnd, (long) (wholeLast + 1) * BLOCK);
        if (tailStart < end) {
            edges.addAll(zeroPartial(c, f, tailStart, end, checksummed));
        }
        return new PreparedTrim(c, List.copyOf(edges), wholeFirst, wholeLast);
    }

    /** [from, to) lies inside one block. */
    private static List<BlockIo.PreparedWrite> zeroPartial(Chunk c, Chunk.Files f, long from, long to,
            boolean checksummed) throws IOException {
        var entry = BlockIo.Entries.read(f.crc(), (int) (from / BLOCK), 1);
        if (entry.holes() == 1) {
            return List.of();
        }
        return List.of(BlockIo.prepare(c, f, from, ByteBuffer.allocate((int) (to - from)), entry, checksummed));
    }

    /** Zeroes the written entries among {@code count} blocks from {@code first}; returns how many. */
    private static int clearEntries(Chunk.Files f, int first, int count) throws IOException {
        var e = BlockIo.Entries.read(f.crc(), first, count);
        int cleared = 0;
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
            // Only written runs: zeros over sidecar holes would allocate them for nothing.
            BlockIo.writeZeros(f.crc(), (long) b * BlockIo.ENTRY, (long) (r - b + 1) * BlockIo.ENTRY);
            cleared += r - b + 1;
            b = r + 1;
        }
        return cleared;
    }
}
