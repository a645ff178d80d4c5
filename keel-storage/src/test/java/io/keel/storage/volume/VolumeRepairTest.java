package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static io.keel.storage.volume.VolumeFailureTest.bytes;
import static io.keel.storage.volume.VolumeFailureTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checksum repair on read, rebuilding replicas, and copy-on-write off snapshot chunks. */
class VolumeRepairTest {
    static final long SIZE = 4L * CHUNK;

    @TempDir
    Path root;

    /** Damages a chunk file behind the store's back, as bit rot would. */
    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void corruptReplicaIsReadAroundAndRepaired() throws IOException {
        try (TestCluster cluster = new TestCluster(root, 3, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(64 * 1024, 1);
            h.write(0, ByteBuffer.wrap(data), true);
            ChunkId id = new ChunkId("vol-1", 0);
            ReplicaRef bad = cluster.refs().get(2);
            cluster.services.local.add(bad); // so the read goes to the damaged copy first
            flipByte(cluster.chunkFile(bad, id), 5 * 4096 + 17);
            ChunkStore badStore = cluster.stores.get(bad);
            assertThatThrownBy(() -> TestCluster.readReplica(badStore, id, 0, data.length))
                    .isInstanceOf(ChecksumMismatchException.class);

            assertThat(read(h, 4096, 8 * 4096)).isEqualTo(java.util.Arrays.copyOfRange(data, 4096, 9 * 4096));
            assertThat(client.stats().checksumErrorsRepaired()).isEqualTo(1);
            assertThat(TestCluster.readReplica(badStore, id, 0, data.length)).isEqualTo(data);
            assertThat(cluster.catalog.entry("vol", 0).replicas()).hasSize(3).contains(bad);
        }
    }

    @Test
    void repairAddsACopyOnAFourthDiskAndDropsTheOldOne() {
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            cluster.placer.excluded.add(fourth);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] a = bytes(100_000, 2);
            byte[] b = bytes(3000, 3);
            h.write(0, ByteBuffer.wrap(a), false);
            h.write(CHUNK - 3000, ByteBuffer.wrap(b), false);
            ChunkEntry before = cluster.catalog.entry("vol", 0);
            assertThat(before.replicas()).doesNotContain(fourth);
            ReplicaRef leaving = before.replicas().getFirst();
            cluster.placer.excluded.remove(fourth);

            VolumeHandle.RepairOutcome out = h.repair(0, List.of(leaving), 1);

            assertThat(out.added()).containsExactly(fourth);
            assertThat(out.dropped()).containsExactly(leaving);
            assertThat(out.bytesCopied()).isGreaterThanOrEqualTo(a.length + b.length);
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.replicas()).hasSize(3).contains(fourth).doesNotContain(leaving);
            assertThat(after.version()).isEqualTo(before.version() + 2);
            byte[] whole = read(h, 0, CHUNK);
            for (ReplicaRef r : after.replicas()) {
                ChunkStore s = cluster.stores.get(r);
                assertThat(TestCluster.readReplica(s, after.chunk(), 0, CHUNK)).isEqualTo(whole);
                assertThat(s.stat(after.chunk()).orElseThrow().version()).isEqualTo(after.version());
            }
            assertThat(java.util.Arrays.copyOf(whole, a.length)).isEqualTo(a);
            assertThat(cluster.stores.get(leaving).stat(after.chunk())).as("dropped copy deleted").isEmpty();
            assertThat(client.stats().bytesRebuilt()).isEqualTo(out.bytesCopied());

            // Writes keep working on the new replica set.
            byte[] c = bytes(5000, 4);
            h.write(50, ByteBuffer.wrap(c), true);
            for (ReplicaRef r : after.replicas()) {
                assertThat(TestCluster.readReplica(cluster.stores.get(r), after.chunk(), 50, c.length)).isEqualTo(c);
            }
        }
    }

    @Test
    void writesDuringARebuildReachTheNewCopy() throws Exception {
        long seed = io.keel.storage.chunk.TestSeeds.seed();
        byte[] model = new byte[CHUNK];
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults().withRebuildBytesPerSecond(2 << 20))) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            cluster.placer.excluded.add(fourth);
            VolumeHandle h = client.openWritable("vol", "host-a");
            new java.util.Random(seed).nextBytes(model);
            h.write(0, ByteBuffer.wrap(model), false);
            cluster.placer.excluded.remove(fourth);
            ReplicaRef leaving = cluster.catalog.entry("vol", 0).replicas().get(1);

            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = Thread.ofVirtual().start(() -> {
                java.util.Random rnd = new java.util.Random(seed + 1);
                while (!done.get() || writes.get() < 20) {
                    int off = rnd.nextInt(CHUNK - 10_000);
                    byte[] d = bytes(1 + rnd.nextInt(10_000), rnd.nextLong());
                    if (rnd.nextInt(5) == 0) {
                        h.writeZeroes(off, d.length, false);
                        java.util.Arrays.fill(d, (byte) 0);
                    } else {
                        h.write(off, ByteBuffer.wrap(d), false);
                    }
                    System.arraycopy(d, 0, model, off, d.length);
                    writes.incrementAndGet();
                }
            });
            VolumeHandle.RepairOutcome out = h.repair(0, List.of(leaving), 1);
            done.set(true);
            writer.join();

            assertThat(out.added()).containsExactly(fourth);
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.replicas()).hasSize(3).contains(fourth).doesNotContain(leaving);
            assertThat(read(h, 0, CHUNK)).as("seed %d", seed).isEqualTo(model);
            for (ReplicaRef r : after.replicas()) {
                assertThat(TestCluster.readReplica(cluster.stores.get(r), after.chunk(), 0, CHUNK))
                        .as("seed %d replica %s", seed, r).isEqualTo(model);
            }
        }
    }

    @Test
    void readOnlyHandleFollowsAChunkThatMovedAway() {
        try (TestCluster cluster = new TestCluster(root, 5, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            List<ReplicaRef> later = cluster.refs().subList(3, 5);
            cluster.placer.excluded.addAll(later);
            VolumeHandle w = client.openWritable("vol", "host-a");
            byte[] data = bytes(30_000, 9);
            w.write(7, ByteBuffer.wrap(data), false);
            VolumeHandle r = client.openReadOnly("vol");
            cluster.placer.excluded.clear();
            List<ReplicaRef> old = cluster.catalog.entry("vol", 0).replicas();

            VolumeHandle.RepairOutcome out = w.repair(0, old, 2);

            assertThat(out.added()).containsExactlyInAnyOrderElementsOf(later);
            assertThat(out.dropped()).containsExactlyElementsOf(old);
            assertThat(cluster.catalog.entry("vol", 0).replicas()).containsExactlyInAnyOrderElementsOf(later);
            // Every copy the read-only handle knows of is gone: it has to reload the layout.
            assertThat(read(r, 7, data.length)).isEqualTo(data);
        }
    }

    @Test
    void writeToASnapshotChunkCopiesItFirst() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-2", SIZE, CHUNK, 3);
            ChunkId shared = new ChunkId("vol-1", 1);
            byte[] old = bytes(40_000, 5);
            for (ChunkStore s : cluster.stores.values()) {
                s.create(shared, 4);
                s.write(shared, 1000, ByteBuffer.wrap(old), 4, 1, true);
            }
            cluster.catalog.put("vol", new ChunkEntry(1, shared, 4, cluster.refs()));
            VolumeHandle h = client.openWritable("vol", "host-a");
            assertThat(read(h, CHUNK + 1000, old.length)).isEqualTo(old);

            byte[] fresh = bytes(5000, 6);
            h.write(CHUNK + 20_000, ByteBuffer.wrap(fresh), false);

            byte[] expected = new byte[CHUNK];
            System.arraycopy(old, 0, expected, 1000, old.length);
            System.arraycopy(fresh, 0, expected, 20_000, fresh.length);
            assertThat(read(h, CHUNK, CHUNK)).isEqualTo(expected);
            ChunkEntry e = cluster.catalog.entry("vol", 1);
            assertThat(e.chunk()).isEqualTo(new ChunkId("vol-2", 1));
            assertThat(e.replicas()).hasSize(3);
            byte[] snapshot = new byte[CHUNK];
            System.arraycopy(old, 0, snapshot, 1000, old.length);
            for (ChunkStore s : cluster.stores.values()) {
                assertThat(TestCluster.readReplica(s, shared, 0, CHUNK)).as("snapshot untouched").isEqualTo(snapshot);
            }
            for (ReplicaRef r : e.replicas()) {
                assertThat(TestCluster.readReplica(cluster.stores.get(r), e.chunk(), 0, CHUNK)).isEqualTo(expected);
            }
            // Zeroing a still-shared chunk must not touch the snapshot either.
            cluster.catalog.put("vol", new ChunkEntry(2, new ChunkId("vol-1", 1), 4, cluster.refs()));
            h.refresh();
            h.writeZeroes(2L * CHUNK + 1000, 4096, false);
            for (ChunkStore s : cluster.stores.values()) {
                assertThat(TestCluster.readReplica(s, shared, 0, CHUNK)).isEqualTo(snapshot);
            }
            byte[] zeroed = snapshot.clone();
            java.util.Arrays.fill(zeroed, 1000, 1000 + 4096, (byte) 0);
            assertThat(read(h, 2L * CHUNK, CHUNK)).isEqualTo(zeroed);
        }
    }

    @Test
    void repairBlocksRewritesNamedBlocksFromAnotherReplica() throws IOException {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(16 * 4096, 7);
            h.write(CHUNK, ByteBuffer.wrap(data), false);
            ChunkEntry e = cluster.catalog.entry("vol", 1);
            ReplicaRef bad = e.replicas().get(1);
            flipByte(cluster.chunkFile(bad, e.chunk()), 3 * 4096 + 5);
            flipByte(cluster.chunkFile(bad, e.chunk()), 9 * 4096);
            assertThat(cluster.stores.get(bad).scrub(e.chunk())).containsExactly(3, 9);
            h.repairBlocks(1, bad, List.of(9, 3));
            assertThat(cluster.stores.get(bad).scrub(e.chunk())).isEmpty();
            assertThat(TestCluster.readReplica(cluster.stores.get(bad), e.chunk(), 0, data.length)).isEqualTo(data);
        }
    }
}
