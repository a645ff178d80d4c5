package io.keel.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random writes, trims and reads at unaligned offsets and lengths, checked against an in-memory
 * copy of every chunk and of which of its blocks are written (for extents and allocation). Replay
 * a failure with -Dkeel.test.seed=N (the seed is in every assertion message).
 */
class ChunkStoreModelTest {
    static final int CHUNK = 256 << 10;
    static final int CHUNKS = 3;
    static final int OPS = 3000;

    @TempDir
    Path root;

    @Test
    void randomOperationsMatchTheModel() {
        long seed = TestSeeds.seed();
        Random rnd = new Random(seed);
        ChunkStoreOptions options = ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0)
                .withChecksums(rnd.nextBoolean());
        byte[][] model = new byte[CHUNKS][CHUNK];
        boolean[][] written = new boolean[CHUNKS][CHUNK / 4096];
        ChunkStore store = ChunkStore.open(root, options);
        try {
            for (int c = 0; c < CHUNKS; c++) {
                store.create(id(c), 1);
            }
            for (int op = 0; op < OPS; op++) {
                int c = rnd.nextInt(CHUNKS);
                int off = rnd.nextInt(CHUNK);
                int len = randomLength(rnd, CHUNK - off);
                String where = "seed=" + seed + " op=" + op + " chunk=" + c + " off=" + off + " len=" + len;
                int kind = rnd.nextInt(100);
                if (kind < 45) {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.wrap(data) : direct(data);
                    store.write(id(c), off, src, 1, 1, rnd.nextInt(20) == 0);
                    System.arraycopy(data, 0, model[c], off, len);
                    if (len > 0) {
                        Arrays.fill(written[c], off / 4096, (off + len - 1) / 4096 + 1, true);
                    }
                } else if (kind < 52) {
                    store.trim(id(c), off, len, 1, 1);
                    Arrays.fill(model[c], off, off + len, (byte) 0);
                    int wholeFirst = (off + 4095) / 4096;
                    int wholeEnd = (off + len) / 4096;
                    if (wholeFirst < wholeEnd) {
                        Arrays.fill(written[c], wholeFirst, wholeEnd, false);
                    }
                } else if (kind < 55) {
                    assertThat(store.extents(id(c))).as(where).isEqualTo(extentsOf(written[c]));
                    assertThat(store.stat(id(c)).orElseThrow().allocatedBytes()).as(where)
                            .isEqualTo(4096L * count(written[c]));
                } else if (kind < 95) {
                    ByteBuffer dst = rnd.nextBoolean() ? ByteBuffer.allocate(len) : ByteBuffer.allocateDirect(len);
                    store.read(id(c), off, dst);
                    byte[] got = new byte[len];
                    dst.flip().get(got);
                    assertThat(got).as(where).isEqualTo(Arrays.copyOfRange(model[c], off, off + len));
                } else if (kind < 98) {
                    store.flush();
                } else {
                    store.close();
                    store = ChunkStore.open(root, options);
                }
            }
            for (int c = 0; c < CHUNKS; c++) {
                ByteBuffer all = ByteBuffer.allocate(CHUNK);
                store.read(id(c), 0, all);
                assertThat(all.array()).as("seed=" + seed + " final chunk " + c).isEqualTo(model[c]);
                assertThat(store.scrub(id(c))).as("seed=" + seed).isEmpty();
                assertThat(store.extents(id(c))).as("seed=" + seed).isEqualTo(extentsOf(written[c]));
                for (Extent e : extentsOf(written[c])) { // outside the extents, only zeros
                    Arrays.fill(model[c], (int) e.offset(), (int) e.end(), (byte) 0);
                }
                assertThat(model[c]).as("seed=" + seed + " bytes outside extents").containsOnly(0);
            }
            long blocks = 0;
            for (boolean[] w : written) {
                blocks += count(w);
            }
            assertThat(store.usedBytes()).as("seed=" + seed).isEqualTo(4096 * blocks);
            assertThat(store.checksumErrors()).as("seed=" + seed).isZero();
        } finally {
            store.close();
        }
    }

    /** Mostly small and unaligned, sometimes block-sized multiples or large spans. */
    private static int randomLength(Random rnd, int max) {
        int len = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(64);
            case 1 -> rnd.nextInt(10_000);
            case 2 -> 4096 * (1 + rnd.nextInt(8));
            default -> rnd.nextInt(64 << 10);
        };
        return Math.min(len, max);
    }

    static List<Extent> extentsOf(boolean[] written) {
        List<Extent> out = new ArrayList<>();
        for (int b = 0; b < written.length; b++) {
            if (written[b]) {
                int r = b;
                while (r + 1 < written.length && written[r + 1]) {
                    r++;
                }
                out.add(new Extent(4096L * b, 4096L * (r - b + 1)));
                b = r;
            }
        }
        return out;
    }

    private static int count(boolean[] written) {
        int n = 0;
        for (boolean w : written) {
            n += w ? 1 : 0;
        }
        return n;
    }

    private static ByteBuffer direct(byte[] data) {
        return ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    private static ChunkId id(int c) {
        return new ChunkId("model", c);
    }
}
