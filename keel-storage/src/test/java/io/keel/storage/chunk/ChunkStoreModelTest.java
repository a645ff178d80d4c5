package io.keel.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random writes and reads at unaligned offsets and lengths, checked against an in-memory copy of
 * every chunk. Replay a failure with -Dkeel.test.seed=N (the seed is in every assertion message).
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
                if (kind < 50) {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    ByteBuffer src = rnd.nextBoolean() ? ByteBuffer.wrap(data) : direct(data);
                    store.write(id(c), off, src, 1, 1, rnd.nextInt(20) == 0);
                    System.arraycopy(data, 0, model[c], off, len);
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
            }
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

    private static ByteBuffer direct(byte[] data) {
        return ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    private static ChunkId id(int c) {
        return new ChunkId("model", c);
    }
}
