package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import io.keel.storage.chunk.TestSeeds;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicas that go away, writers that lose their lease, disks that fill up. */
class VolumeFailureTest {
    static final long SIZE = 4L * CHUNK;

    @TempDir
    Path root;

    static byte[] bytes(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(VolumeHandle h, long off, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        h.read(off, b);
        return b.array();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void replicaWhoseServerStopsIsDroppedAndWritesContinue() {
        long seed = TestSeeds.seed();
        Random rnd = new Random(seed);
        byte[] model = new byte[(int) SIZE];
        try (TestCluster cluster = new TestCluster(root, 3, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] first = bytes((int) SIZE, seed);
            h.write(0, ByteBuffer.wrap(first), false);
            System.arraycopy(first, 0, model, 0, first.length);
            ReplicaRef victim = cluster.refs().get(0);
            for (int i = 0; i < 40; i++) {
                if (i == 10) {
                    cluster.stop(victim);
                }
                long off = rnd.nextLong(SIZE - 1);
                int len = (int) Math.min(SIZE - off, 1 + rnd.nextInt(CHUNK));
                byte[] data = bytes(len, rnd.nextLong());
                h.write(off, ByteBuffer.wrap(data), false);
                System.arraycopy(data, 0, model, (int) off, len);
                assertThat(read(h, off, len)).as("seed %d op %d", seed, i).isEqualTo(data);
            }
            h.write(0, ByteBuffer.wrap(Arrays.copyOf(model, (int) SIZE)), false); // touch every chunk after the stop
            h.flush();
            assertThat(read(h, 0, (int) SIZE)).as("seed %d", seed).isEqualTo(model);

            for (ChunkEntry e : cluster.catalog.layout("vol").chunks().values()) {
                assertThat(e.replicas()).hasSize(2).doesNotContain(victim);
                assertThat(e.version()).isGreaterThan(1);
                for (ReplicaRef r : e.replicas()) {
                    assertThat(cluster.stores.get(r).stat(e.chunk()).orElseThrow().version()).isEqualTo(e.version());
                    assertThat(TestCluster.readReplica(cluster.stores.get(r), e.chunk(), 0, CHUNK))
                            .isEqualTo(Arrays.copyOfRange(model, (int) (e.index() * CHUNK), (int) ((e.index() + 1) * CHUNK)));
                }
                assertThat(cluster.stores.get(victim).stat(e.chunk()).orElseThrow().version())
                        .as("the stopped copy stays recognisably stale").isLessThan(e.version());
            }
            assertThat(client.stats().replicasDropped()).isEqualTo(4);
            assertThat(cluster.services.failures).contains(victim);
        }
    }

    @Test
    void writerFencedByANewerLeaseCannotChangeAnyReplica() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle a = client.openWritable("vol", "host-a");
            byte[] old = bytes(3 * 4096, 1);
            a.write(4096, ByteBuffer.wrap(old), false);

            assertThatThrownBy(() -> client.openWritable("vol", "host-b")).isInstanceOf(LeaseHeldException.class);
            cluster.catalog.expire("vol");
            VolumeHandle b = client.openWritable("vol", "host-b");
            assertThat(b.epoch()).isGreaterThan(a.epoch());

            byte[] stale = bytes(3 * 4096, 2);
            assertThatThrownBy(() -> a.write(4096, ByteBuffer.wrap(stale), false))
                    .isInstanceOf(LeaseLostException.class).hasMessageContaining("vol");
            ChunkId id = new ChunkId("vol-1", 0);
            for (ChunkStore s : cluster.stores.values()) {
                assertThat(TestCluster.readReplica(s, id, 4096, old.length)).isEqualTo(old);
            }
            // Fenced for good: even a chunk nobody has written yet is refused.
            assertThatThrownBy(() -> a.write(2L * CHUNK, ByteBuffer.wrap(stale), false))
                    .isInstanceOf(LeaseLostException.class);
            assertThat(cluster.catalog.layout("vol").chunk(2)).isEmpty();

            byte[] fresh = bytes(5000, 3);
            b.write(4000, ByteBuffer.wrap(fresh), true);
            assertThat(read(b, 4000, fresh.length)).isEqualTo(fresh);
            for (ChunkStore s : cluster.stores.values()) {
                assertThat(TestCluster.readReplica(s, id, 4000, fresh.length)).isEqualTo(fresh);
            }
            a.close();
            b.close();
        }
    }

    @Test
    void allocationUnderALostLeaseLeavesNoChunkBehind() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle a = client.openWritable("vol", "host-a");
            cluster.catalog.expire("vol");
            VolumeHandle b = client.openWritable("vol", "host-b");
            assertThatThrownBy(() -> a.write(CHUNK + 10, ByteBuffer.wrap(bytes(100, 4)), false))
                    .isInstanceOf(LeaseLostException.class);
            for (ChunkStore s : cluster.stores.values()) {
                assertThat(s.list()).isEmpty();
            }
            assertThat(cluster.catalog.layout("vol").chunks()).isEmpty();
            b.close();
        }
    }

    @Test
    void backgroundLeaseGivesWayToAForegroundOpen() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle healer = client.openBackground("vol", "healer");
            healer.write(0, ByteBuffer.wrap(bytes(4096, 5)), false);
            VolumeHandle vm = client.openWritable("vol", "host-a");
            assertThatThrownBy(() -> healer.write(0, ByteBuffer.wrap(bytes(4096, 6)), false))
                    .isInstanceOf(LeaseLostException.class);
            assertThat(read(vm, 0, 4096)).isEqualTo(bytes(4096, 5));
        }
    }

    @Test
    void leaseIsRenewedAndLossOfItFencesTheHandle() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults().withLeaseTtl(Duration.ofMillis(900)))) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle a = client.openWritable("vol", "host-a");
            Instant first = cluster.catalog.lease("vol").expiresAt();
            await(() -> cluster.catalog.lease("vol").expiresAt().isAfter(first), Duration.ofSeconds(10), "renewed");
            cluster.catalog.expire("vol");
            VolumeHandle b = client.openWritable("vol", "host-b");
            // A write to an unallocated chunk needs no replica to notice: the renewal alone fences A.
            await(() -> {
                try {
                    a.flush();
                    return false;
                } catch (LeaseLostException e) {
                    return true;
                }
            }, Duration.ofSeconds(10), "the old writer notices it lost its lease");
            assertThat(b.writable()).isTrue();
        }
    }

    @Test
    void writeOnFullDisksFailsWithEnospcAndChangesNothing() {
        long free;
        try (ChunkStore probe = ChunkStore.open(root.resolve("probe"), ChunkStoreOptions.defaults().withChunkSize(CHUNK))) {
            free = probe.freeBytes() + ChunkStoreOptions.DEFAULT_RESERVED_BYTES;
        }
        try (TestCluster cluster = new TestCluster(root, 0, false)) {
            for (int i = 0; i < 3; i++) {
                cluster.addDisk(ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(free + (1L << 30)));
            }
            try (VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
                cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
                VolumeHandle h = client.openWritable("vol", "host-a");
                assertThatThrownBy(() -> h.write(10, ByteBuffer.wrap(bytes(8192, 7)), false))
                        .isInstanceOfSatisfying(VolumeIoException.class,
                                e -> assertThat(e.kind()).isEqualTo(VolumeIoException.Kind.ENOSPC))
                        .hasMessageContaining("vol").hasMessageContaining("chunk 0");
                assertThat(cluster.catalog.layout("vol").chunks()).isEmpty();
                for (ChunkStore s : cluster.stores.values()) {
                    assertThat(s.list()).isEmpty();
                }
                assertThat(read(h, 0, 16384)).containsOnly(0);
                h.writeZeroes(0, SIZE, true); // unallocated chunks stay unallocated
                assertThat(cluster.catalog.layout("vol").chunks()).isEmpty();
            }
        }
    }

    @Test
    void fullDisksRefuseNewBlocksOfAnAllocatedChunkButOverwritesWork() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(8192, 10);
            h.write(0, ByteBuffer.wrap(data), true);
            long version = cluster.catalog.entry("vol", 0).version();
            for (ReplicaRef r : cluster.refs()) {
                long free = cluster.stores.get(r).freeBytes();
                cluster.reopen(r, ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(free + (1L << 30)));
            }
            assertThatThrownBy(() -> h.write(CHUNK / 2, ByteBuffer.wrap(bytes(CHUNK / 4, 11)), false))
                    .isInstanceOfSatisfying(VolumeIoException.class,
                            e -> assertThat(e.kind()).isEqualTo(VolumeIoException.Kind.ENOSPC))
                    .hasMessageContaining("chunk 0").hasMessageContaining("volume vol");
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            assertThat(e.replicas()).hasSize(3);
            assertThat(e.version()).isEqualTo(version);
            assertThat(read(h, CHUNK / 2, CHUNK / 4)).containsOnly(0);
            byte[] again = bytes(8192, 12);
            h.write(0, ByteBuffer.wrap(again), true);
            assertThat(read(h, 0, again.length)).isEqualTo(again);
        }
    }

    @Test
    void oneFullDiskIsDroppedWhileTheOthersTakeTheWrite() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.wrap(bytes(4096, 13)), false);
            ReplicaRef full = cluster.refs().get(0);
            long free = cluster.stores.get(full).freeBytes();
            cluster.reopen(full, ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(free + (1L << 30)));
            byte[] data = bytes(CHUNK / 2, 14);
            h.write(4096, ByteBuffer.wrap(data), false);
            assertThat(read(h, 4096, data.length)).isEqualTo(data);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            assertThat(e.replicas()).hasSize(2).doesNotContain(full);
            assertThat(e.version()).isEqualTo(2);
            assertThat(client.stats().replicasDropped()).isEqualTo(1);
        }
    }

    @Test
    void readOnlyHandleReadsButRefusesWrites() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle w = client.openWritable("vol", "host-a");
            VolumeHandle r = client.openReadOnly("vol");
            byte[] data = bytes(10000, 8);
            w.write(CHUNK - 5000, ByteBuffer.wrap(data), false);
            r.refresh();
            assertThat(read(r, CHUNK - 5000, data.length)).isEqualTo(data);
            assertThat(r.writable()).isFalse();
            assertThat(r.epoch()).isZero();
            assertThatThrownBy(() -> r.write(0, ByteBuffer.allocate(1), false))
                    .isInstanceOfSatisfying(VolumeIoException.class,
                            e -> assertThat(e.kind()).isEqualTo(VolumeIoException.Kind.EROFS));
            assertThatThrownBy(() -> r.read(SIZE - 1, ByteBuffer.allocate(2)))
                    .isInstanceOfSatisfying(VolumeIoException.class,
                            e -> assertThat(e.kind()).isEqualTo(VolumeIoException.Kind.EINVAL));
        }
    }
}
