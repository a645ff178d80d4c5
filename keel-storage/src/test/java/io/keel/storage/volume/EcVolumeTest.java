package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static io.keel.storage.volume.VolumeFailureTest.bytes;
import static io.keel.storage.volume.VolumeFailureTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.ec.ReedSolomon;
import io.keel.storage.chunk.ChunkStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Erasure-coded volumes over real chunk servers: writes, reads, dirty marks, zeroing. */
class EcVolumeTest {
    static final int U = StripeLayout.UNIT;
    static final long SIZE = 4L * CHUNK;

    @TempDir
    Path root;

    static ErasureShape shape(String s) {
        String[] p = s.split("\\+");
        return new ErasureShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    /**
     * Checks every allocated chunk's fragments on disk: data fragments hold the model's units
     * (zeros past the chunk's end), parity fragments the Reed-Solomon parity of the data ones.
     */
    static void checkFragments(TestCluster cluster, String volumeId, ErasureShape shape, byte[] model) {
        StripeLayout l = new StripeLayout(shape.data(), CHUNK);
        ReedSolomon rs = ReedSolomon.of(shape.data(), shape.parity());
        for (long index = 0; index * CHUNK < model.length; index++) {
            ChunkEntry e = cluster.catalog.entry(volumeId, index);
            if (e == null) {
                continue;
            }
            byte[][] frags = new byte[shape.fragments()][];
            for (ReplicaRef r : e.replicas()) {
                ChunkStore store = cluster.store(r);
                frags[r.fragment()] = TestCluster.readReplica(store, EcChunkIo.id(e, r.fragment()), 0,
                        l.fragmentSize());
            }
            byte[][] data = new byte[shape.data()][l.fragmentSize()];
            for (int u = 0; u < l.rows() * shape.data(); u++) {
                int k = u % shape.data();
                int at = u / shape.data() * U;
                if (u < l.units()) {
                    System.arraycopy(model, (int) (index * CHUNK) + u * U, data[k], at, U);
                }
            }
            for (int k = 0; k < shape.data(); k++) {
                if (frags[k] != null) {
                    assertThat(frags[k]).as("data fragment %d of chunk %d", k, index).isEqualTo(data[k]);
                }
            }
            byte[][] parity = new byte[shape.parity()][l.fragmentSize()];
            rs.encode(data, parity, 0, l.fragmentSize());
            for (int p = 0; p < shape.parity(); p++) {
                if (frags[shape.data() + p] != null) {
                    assertThat(frags[shape.data() + p]).as("parity fragment %d of chunk %d", p, index)
                            .isEqualTo(parity[p]);
                }
            }
        }
    }

    /** A size from 1 byte to 2.5 MiB, mostly small, sometimes spanning chunks. */
    static int randomLength(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 1 + rnd.nextInt(64);
            case 1 -> 1 + rnd.nextInt(3 * U);
            case 2 -> 1 + rnd.nextInt(64 * U);
            case 3 -> 1 + rnd.nextInt(CHUNK);
            default -> 1 + rnd.nextInt(5 * CHUNK / 2);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"3+2", "2+1"})
    void randomWritesReadBackAndFragmentsMatchTheCode(String s) {
        ErasureShape shape = shape(s);
        long seed = System.nanoTime();
        System.out.println("EcVolumeTest " + s + " seed " + seed);
        Random rnd = new Random(seed);
        byte[] model = new byte[(int) SIZE];
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            for (int i = 0; i < 30; i++) {
                int len = randomLength(rnd);
                int off = rnd.nextInt((int) SIZE - len + 1);
                byte[] data = new byte[len];
                rnd.nextBytes(data);
                h.write(off, ByteBuffer.wrap(data), rnd.nextInt(4) == 0);
                System.arraycopy(data, 0, model, off, len);
                int rlen = randomLength(rnd);
                int roff = rnd.nextInt((int) SIZE - rlen + 1);
                assertThat(read(h, roff, rlen)).as("seed %d: read %d+%d after write %d", seed, roff, rlen, i)
                        .isEqualTo(Arrays.copyOfRange(model, roff, roff + rlen));
            }
            h.close();
            for (long i = 0; i < 4; i++) {
                ChunkEntry e = cluster.catalog.entry("vol", i);
                if (e != null) {
                    assertThat(e.dirty()).as("chunk %d after close", i).isFalse();
                    assertThat(e.replicas()).hasSize(shape.fragments());
                }
            }
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, (int) SIZE)).as("seed %d", seed).isEqualTo(model);
            }
            checkFragments(cluster, "vol", shape, model);
        }
    }

    @Test
    void dirtyMarksAreSetByTheFirstWriteAndClearedByClose() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(CHUNK - 10, ByteBuffer.wrap(bytes(20, 1)), false);
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isTrue();
            assertThat(cluster.catalog.entry("vol", 1).dirty()).isTrue();
            assertThat(cluster.catalog.entry("vol", 2)).isNull();
            h.write(5, ByteBuffer.wrap(bytes(20, 2)), true);
            h.flush();
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isTrue();
            assertThat(cluster.catalog.entry("vol", 0).replicas()).extracting(ReplicaRef::fragment)
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
            h.close();
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
            assertThat(cluster.catalog.entry("vol", 1).dirty()).isFalse();
            assertThat(cluster.catalog.lease("vol")).isNull();

            VolumeHandle again = client.openWritable("vol", "host-b");
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
            again.write(1, ByteBuffer.wrap(bytes(3, 3)), false);
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isTrue();
            assertThat(cluster.catalog.entry("vol", 1).dirty()).isFalse();
            assertThatThrownBy(() -> again.quiesce(() -> 1)).isInstanceOf(VolumeIoException.class)
                    .hasMessageContaining("snapshots of erasure-coded volumes are not supported yet")
                    .extracting(x -> ((VolumeIoException) x).kind()).isEqualTo(VolumeIoException.Kind.EINVAL);
            again.close();
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
        }
    }

    @Test
    void aChunkIdleForFiveSecondsIsCleanAgainWhileTheWriterStaysOpen() throws Exception {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(10, ByteBuffer.wrap(bytes(20, 1)), false);
            h.write(CHUNK + 10, ByteBuffer.wrap(bytes(20, 2)), false);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            // Chunk 1 keeps changing; chunk 0 goes quiet and is flushed and cleared.
            while (cluster.catalog.entry("vol", 0).dirty() && System.nanoTime() < deadline) {
                h.write(CHUNK + 10, ByteBuffer.wrap(bytes(20, 3)), false);
            }
            assertThat(cluster.catalog.entry("vol", 0).dirty()).as("idle chunk 0 cleaned").isFalse();
            assertThat(cluster.catalog.entry("vol", 1).dirty()).as("busy chunk 1 still dirty").isTrue();
            // A dead writer now would leave chunk 0 decodable: its parity matches its data.
            h.write(20, ByteBuffer.wrap(bytes(4, 4)), false);
            assertThat(cluster.catalog.entry("vol", 0).dirty()).as("marked again by the next write").isTrue();
            h.close();
            try (VolumeHandle r = client.openReadOnly("vol")) {
                checkFragments(cluster, "vol", shape, read(r, 0, (int) SIZE));
            }
        }
    }

    @Test
    void writeZeroesOverFullAndPartialRowsReadsZerosAndKeepsParity() {
        ErasureShape shape = new ErasureShape(3, 2);
        byte[] model = new byte[(int) SIZE];
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(2 * CHUNK, 7);
            h.write(0, ByteBuffer.wrap(data), false);
            System.arraycopy(data, 0, model, 0, data.length);
            int row = 3 * U;
            // Partial head and tail around 5 full rows, one range inside one row, one across chunks 1-3.
            long[][] zeroes = {{row + 100, 5L * row + 2 * row - 300}, {20 * row + 17, 1000},
                    {CHUNK + 7 * row + 5, 2L * CHUNK}};
            for (long[] z : zeroes) {
                h.writeZeroes(z[0], z[1], z == zeroes[2]);
                Arrays.fill(model, (int) z[0], (int) (z[0] + z[1]), (byte) 0);
            }
            assertThat(cluster.catalog.entry("vol", 2)).as("unallocated chunks stay so").isNull();
            assertThat(cluster.catalog.entry("vol", 3)).isNull();
            assertThat(read(h, 0, (int) SIZE)).isEqualTo(model);
            h.close();
            checkFragments(cluster, "vol", shape, model);
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, (int) SIZE)).isEqualTo(model);
            }
        }
    }

    @Test
    void allocationNeedsOneServicePerFragment() {
        try (TestCluster cluster = new TestCluster(root, 4, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, new ErasureShape(3, 2));
            VolumeHandle h = client.openWritable("vol", "host-a");
            assertThatThrownBy(() -> h.write(0, ByteBuffer.wrap(bytes(10, 1)), false))
                    .isInstanceOf(VolumeIoException.class)
                    .hasMessage("chunk 0 of volume vol needs 5 fragment services in distinct failure domains, only 4 "
                            + "are available");
            assertThat(cluster.catalog.entry("vol", 0)).isNull();
            assertThat(read(h, 0, 100)).isEqualTo(new byte[100]);
        }
    }
}
