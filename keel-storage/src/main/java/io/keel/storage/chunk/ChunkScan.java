package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Whole-chunk passes over the checksum sidecar: scrubbing and listing written extents. */
final class ChunkScan {
    private static final int BLOCK = BlockIo.BLOCK;
    private static final int SCRUB_BATCH_BLOCKS = 256;
    private static final int EXTENT_BATCH_BLOCKS = 8192;

    private ChunkScan() {}

    /** Verifies every written block; see {@link ChunkOperations#scrub}. */
    static List<Integer> scrub(ChunkStore store, Chunk c) {
        List<Integer> bad = new ArrayList<>();
        ByteBuffer scratch = null;
        int blocks = store.blocksPerChunk();
        // Batches take the lock one at a time so that a scrub never holds up writes for long.
        for (int first = 0; first < blocks; first += SCRUB_BATCH_BLOCKS) {
            c.lock.readLock().lock();
            try {
                store.checkUsable(c);
                if (!c.meta().checksummed()) {
                    return List.of();
                }
                Chunk.Files f = c.files();
                blocks = Math.min(blocks, sidecarBlocks(f));
                if (first >= blocks) {
                    break;
                }
                if (scratch == null) {
                    scratch = ByteBuffer.allocateDirect(SCRUB_BATCH_BLOCKS * BLOCK);
                }
                bad.addAll(BlockIo.scrub(c, f, first, Math.min(SCRUB_BATCH_BLOCKS, blocks - first), scratch));
            } catch (IOException e) {
                throw store.io(c, "scrub", e);
            } finally {
                c.lock.readLock().unlock();
            }
        }
        return bad;
    }

    /**
     * The written extents; see {@link ChunkOperations#extents}. One hold of the shared lock over
     * the sidecar alone (at most 2 MiB for a 1 GiB chunk) gives a consistent snapshot cheaply.
     */
    static List<Extent> extents(ChunkStore store, Chunk c) {
        List<Extent> out = new ArrayList<>();
        c.lock.readLock().lock();
        try {
            store.checkUsable(c);
            Chunk.Files f = c.files();
            int blocks = Math.min(store.blocksPerChunk(), sidecarBlocks(f));
            int runStart = -1;
            for (int first = 0; first < blocks; first += EXTENT_BATCH_BLOCKS) {
                int n = Math.min(EXTENT_BATCH_BLOCKS, blocks - first);
                BlockIo.Entries e = BlockIo.Entries.read(f.crc(), first, n);
                for (int b = first; b < first + n; b++) {
                    if (!e.isHole(b) && runStart < 0) {
                        runStart = b;
                    } else if (e.isHole(b) && runStart >= 0) {
                        out.add(blocks(runStart, b));
                        runStart = -1;
                    }
                }
            }
            if (runStart >= 0) {
                out.add(blocks(runStart, blocks));
            }
        } catch (IOException e) {
            throw store.io(c, "extents", e);
        } finally {
            c.lock.readLock().unlock();
        }
        return List.copyOf(out);
    }

    /** Blocks past the sidecar's end were never written. */
    private static int sidecarBlocks(Chunk.Files f) throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, (f.crc().size() + BlockIo.ENTRY - 1) / BlockIo.ENTRY);
    }

    private static Extent blocks(int first, int end) {
        return new Extent((long) first * BLOCK, (long) (end - first) * BLOCK);
    }
}
