package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.TestSeeds;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random I/O against a byte array model, on three real chunk stores. */
class VolumeClientModelTest {
    static final long SIZE = 6L * CHUNK + 12345;

    @TempDir
    Path root;

    @Test
    void randomIoMatchesTheModelAndEveryReplicaHoldsTheSameBytes() {
        long seed = TestSeeds.seed();
        try {
            run(seed, false);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (replay with -Dkeel.test.seed=" + seed + ")", e);
        }
    }

    @Test
    void randomIoOverTheNetworkMatchesTheModel() {
        long seed = TestSeeds.seed();
        try {
            run(seed, true);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (replay with -Dkeel.test.seed=" + seed + ")", e);
        }
    }

    private void run(long seed, boolean network) {
        Random rnd = new Random(seed);
        byte[] model = new byte[(int) SIZE];
        try (TestCluster cluster = new TestCluster(root, 3, network);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.services.local.add(cluster.refs().get(1));
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            // Snapshot id to a frozen copy of the model when it was taken.
            Map<String, byte[]> snapshots = new LinkedHashMap<>();
            int ops = network ? 120 : 300;
            for (int i = 0; i < ops; i++) {
                int op = rnd.nextInt(10);
                long off = rnd.nextLong(SIZE);
                int len = (int) Math.min(SIZE - off, length(rnd));
                if (op < 5) {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    h.write(off, ByteBuffer.wrap(data), rnd.nextInt(8) == 0);
                    System.arraycopy(data, 0, model, (int) off, len);
                } else if (op < 8) {
                    ByteBuffer dst = rnd.nextBoolean() ? ByteBuffer.allocate(len) : ByteBuffer.allocateDirect(len);
                    h.read(off, dst);
                    assertThat(dst.position()).isEqualTo(len);
                    byte[] got = new byte[len];
                    dst.flip().get(got);
                    assertThat(Arrays.equals(got, 0, len, model, (int) off, (int) off + len))
                            .as("op %d: read %d+%d", i, off, len).isTrue();
                } else if (op < 9) {
                    h.writeZeroes(off, len, rnd.nextBoolean());
                    Arrays.fill(model, (int) off, (int) off + len, (byte) 0);
                } else if (rnd.nextInt(3) > 0 || snapshots.size() >= 6) {
                    h.flush();
                } else {
                    String id = "snap" + i;
                    h.quiesce(() -> {
                        cluster.catalog.snapshot("vol", id, h.epoch());
                        return null;
                    });
                    snapshots.put(id, model.clone());
                    if (rnd.nextBoolean()) {
                        assertSnapshot(client, id, model);
                    }
                }
            }
            // Later writes copied shared chunks instead of changing them.
            for (Map.Entry<String, byte[]> s : snapshots.entrySet()) {
                assertSnapshot(client, s.getKey(), s.getValue());
            }
            byte[] all = new byte[(int) SIZE];
            h.read(0, ByteBuffer.wrap(all));
            assertThat(Arrays.equals(all, model)).as("whole volume").isTrue();
            h.close();

            VolumeLayout layout = cluster.catalog.layout("vol");
            assertThat(layout.chunks()).isNotEmpty();
            for (ChunkEntry e : layout.chunks().values()) {
                assertThat(e.replicas()).hasSize(3);
                int start = (int) (e.index() * CHUNK);
                int len = (int) Math.min(CHUNK, SIZE - start);
                for (ReplicaRef r : e.replicas()) {
                    ChunkStore s = cluster.stores.get(r);
                    byte[] copy = TestCluster.readReplica(s, e.chunk(), 0, len);
                    assertThat(Arrays.equals(copy, 0, len, model, start, start + len))
                            .as("replica %s of chunk %d", r, e.index()).isTrue();
                    assertThat(s.stat(e.chunk()).orElseThrow().version()).isEqualTo(e.version());
                }
            }
            assertThat(client.stats().writes()).isPositive();
            assertThat(client.stats().reads()).isPositive();
            assertThat(cluster.catalog.lease("vol")).as("lease released on close").isNull();
        }
    }

    private static void assertSnapshot(VolumeClient client, String id, byte[] frozen) {
        try (VolumeHandle s = client.openReadOnly(id)) {
            byte[] got = new byte[(int) SIZE];
            s.read(0, ByteBuffer.wrap(got));
            assertThat(Arrays.equals(got, frozen)).as("snapshot %s", id).isTrue();
        }
    }

    private static int length(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1 + rnd.nextInt(100);
            case 1 -> 1 + rnd.nextInt(16 << 10);
            case 2 -> 1 + rnd.nextInt(300 << 10);
            default -> 1 + rnd.nextInt(CHUNK + (CHUNK >> 1));
        };
    }
}
