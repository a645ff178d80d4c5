package io.keel.storage.volume;

import static io.keel.storage.volume.EcVolumeTest.SIZE;
import static io.keel.storage.volume.EcVolumeTest.U;
import static io.keel.storage.volume.EcVolumeTest.checkFragments;
import static io.keel.storage.volume.TestCluster.CHUNK;
import static io.keel.storage.volume.VolumeFailureTest.bytes;
import static io.keel.storage.volume.VolumeFailureTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Erasure-coded volumes with fragments gone: degraded reads, dropped fragments, repair, torn stripes. */
class EcFailureTest {
    @TempDir
    Path root;

    static ReplicaRef fragment(ChunkEntry e, int k) {
        return EcChunkIo.ref(e, k);
    }

    @Test
    void readsSurviveUpToParityManyLostFragmentsAndFailBeyond() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK + CHUNK / 2, 11);
            h.write(1000, ByteBuffer.wrap(data), true);
            System.arraycopy(data, 0, model, 1000, data.length);
            ChunkEntry e = cluster.catalog.entry("vol", 0);

            // One data fragment's service stopped, another's chunk file deleted: N = 2 lost.
            cluster.stop(fragment(e, 0));
            ReplicaRef deleted = fragment(e, 1);
            cluster.store(deleted).delete(EcChunkIo.id(e, 1));
            assertThat(read(h, 0, 2 * CHUNK)).isEqualTo(Arrays.copyOf(model, 2 * CHUNK));
            try (VolumeHandle r = client.openReadOnly("vol")) {
                // The writer still holds its dirty marks: a reader may not rebuild from parity.
                assertThatThrownBy(() -> read(r, 0, 100)).isInstanceOf(VolumeIoException.class)
                        .hasMessageContaining("may hold a torn stripe");
            }
            h.close();
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, (int) SIZE)).isEqualTo(model);
                assertThat(read(r, 5, 3)).isEqualTo(Arrays.copyOfRange(model, 5, 8));

                // A third: chunk 0 has only 2 of the 3 fragments it needs.
                cluster.stop(fragment(e, 3));
                assertThatThrownBy(() -> read(r, 0, 100)).isInstanceOf(VolumeIoException.class)
                        .hasMessageContaining("chunk 0 of volume vol")
                        .extracting(x -> ((VolumeIoException) x).kind()).isEqualTo(VolumeIoException.Kind.EIO);
                assertThat(read(r, CHUNK, CHUNK / 2)).as("chunk 1 has lost at most 2")
                        .isEqualTo(Arrays.copyOfRange(model, CHUNK, CHUNK + CHUNK / 2));
            }
        }
    }

    @Test
    void aWriteDropsAFragmentWhoseServiceIsDownAndRepairRebuildsIt() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] first = bytes(CHUNK, 21);
            h.write(0, ByteBuffer.wrap(first), false);
            System.arraycopy(first, 0, model, 0, CHUNK);
            ChunkEntry before = cluster.catalog.entry("vol", 0);
            ReplicaRef down = fragment(before, 1);
            cluster.stop(down);

            byte[] second = bytes(40_000, 22);
            h.write(3000, ByteBuffer.wrap(second), false);
            System.arraycopy(second, 0, model, 3000, second.length);

            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.replicas()).hasSize(4).doesNotContain(down);
            for (ReplicaRef r : after.replicas()) {
                ChunkInfo info = cluster.store(r).stat(EcChunkIo.id(after, r.fragment())).orElseThrow();
                assertThat(info.version()).as("fragment %s", r).isEqualTo(after.version());
            }
            assertThat(read(h, 0, CHUNK)).isEqualTo(Arrays.copyOf(model, CHUNK));

            VolumeHandle.RepairOutcome out = h.repair(0, List.of(), 1);
            assertThat(out.added()).hasSize(1);
            ReplicaRef rebuilt = out.added().getFirst();
            assertThat(rebuilt.fragment()).isEqualTo(1);
            assertThat(rebuilt.sameService(down)).isFalse();
            ChunkEntry repaired = cluster.catalog.entry("vol", 0);
            assertThat(repaired.replicas()).hasSize(5).contains(rebuilt);
            assertThat(repaired.version()).isEqualTo(after.version() + 1);
            h.flush();
            checkFragments(cluster, "vol", shape, model);

            // With another data fragment gone too, the rebuilt one carries its share.
            cluster.stop(fragment(repaired, 0));
            assertThat(read(h, 0, CHUNK)).isEqualTo(Arrays.copyOf(model, CHUNK));
            h.close();
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, CHUNK)).isEqualTo(Arrays.copyOf(model, CHUNK));
            }
        }
    }

    @Test
    void aWriterOpeningWithADataAndAParityServiceDownDropsThemAndDecodesEveryRead() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = bytes(3 * CHUNK + 4321, 71);
            VolumeHandle w = client.openWritable("vol", "host-a");
            for (int at = 0; at < model.length; at += 256 * 1024) {
                int n = Math.min(256 * 1024, model.length - at);
                w.write(at, ByteBuffer.wrap(model, at, n), false);
            }
            w.close();
            ChunkEntry e = cluster.catalog.entry("vol", 2);
            cluster.stop(fragment(e, 2));
            cluster.stop(fragment(e, 4));
            VolumeHandle h = client.openWritable("vol", "host-b");
            assertThat(cluster.catalog.entry("vol", 2).replicas()).hasSize(3);
            java.util.List<java.util.concurrent.Future<byte[]>> reads = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int at = 0; at < model.length; at += 256 * 1024) {
                    int from = at;
                    int n = Math.min(256 * 1024, model.length - at);
                    reads.add(pool.submit(() -> read(h, from, n)));
                }
                int at = 0;
                for (var f : reads) {
                    byte[] got = f.get();
                    assertThat(got).as("read at %d", at).isEqualTo(Arrays.copyOfRange(model, at, at + got.length));
                    at += got.length;
                }
            } catch (Exception x) {
                throw new AssertionError(x);
            }
            h.close();
        }
    }

    @Test
    void repairBlocksRewritesAFragmentsBlocksFromTheOthers() {
        ErasureShape shape = new ErasureShape(2, 1);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK, 31);
            h.write(0, ByteBuffer.wrap(data), true);
            System.arraycopy(data, 0, model, 0, CHUNK);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ReplicaRef parity = fragment(e, 2);
            ChunkStore store = cluster.store(parity);
            ChunkId id = EcChunkIo.id(e, 2);
            long epoch = store.stat(id).orElseThrow().epoch();
            store.write(id, 5 * U, ByteBuffer.wrap(bytes(2 * U, 32)), e.version(), epoch, true);
            h.repairBlocks(0, parity, List.of(5, 6));
            checkFragments(cluster, "vol", shape, model);
        }
    }

    @Test
    void aTornStripeIsNeverRebuiltUntilAWriterResyncsItsParity() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK, 41);
            h.write(0, ByteBuffer.wrap(data), true);
            System.arraycopy(data, 0, model, 0, CHUNK);
            h.close();

            // A writer killed between fragment writes: data fragment 0 changed, parity not, mark left.
            cluster.catalog.setDirty("vol", 0, true);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ChunkStore store0 = cluster.store(fragment(e, 0));
            ChunkId id0 = EcChunkIo.id(e, 0);
            byte[] torn = bytes(U, 42);
            store0.write(id0, 0, ByteBuffer.wrap(torn), e.version(), store0.stat(id0).orElseThrow().epoch(), true);
            System.arraycopy(torn, 0, model, 0, U);

            ReplicaRef second = fragment(e, 1);
            cluster.stop(second);
            try (VolumeHandle r = client.openReadOnly("vol")) {
                // Unit 1 lives in the unavailable fragment 1: rebuilding it would use the stale parity.
                assertThatThrownBy(() -> read(r, U, U)).isInstanceOf(VolumeIoException.class)
                        .hasMessageContaining("may hold a torn stripe").hasMessageContaining("chunk 0 of volume vol")
                        .extracting(x -> ((VolumeIoException) x).kind()).isEqualTo(VolumeIoException.Kind.EIO);
                // What the healthy fragments hold is still theirs to give.
                assertThat(read(r, 0, U)).isEqualTo(torn);
                assertThat(read(r, 2 * U, 100)).isEqualTo(Arrays.copyOfRange(model, 2 * U, 2 * U + 100));
            }

            cluster.restart(second);
            VolumeHandle next = client.openWritable("vol", "host-b");
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
            next.close();
            checkFragments(cluster, "vol", shape, model);

            cluster.stop(fragment(e, 0));
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, CHUNK)).isEqualTo(Arrays.copyOf(model, CHUNK));
            }
        }
    }

    @Test
    void aDirtyChunkWhoseDataCannotAllBeReadStaysDirtyAtOpen() {
        ErasureShape shape = new ErasureShape(2, 1);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.wrap(bytes(3 * U, 51)), true);
            h.close();
            cluster.catalog.setDirty("vol", 0, true);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ReplicaRef gone = fragment(e, 0);
            cluster.store(gone).delete(EcChunkIo.id(e, 0));
            VolumeHandle next = client.openWritable("vol", "host-b");
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.dirty()).isTrue();
            assertThat(after.replicas()).doesNotContain(gone);
            assertThatThrownBy(() -> read(next, 0, 10)).isInstanceOf(VolumeIoException.class)
                    .hasMessageContaining("may hold a torn stripe");
            next.close();
        }
    }

    @Test
    void aDirtyChunkKeepsADataFragmentWhoseServiceIsDownAndResyncsWhenItReturns() {
        ErasureShape shape = new ErasureShape(2, 1);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(3 * U, 61);
            h.write(0, ByteBuffer.wrap(data), true);
            h.close();
            // A writer died with chunk 0 dirty, and the service of its data fragment 1 is down.
            cluster.catalog.setDirty("vol", 0, true);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ReplicaRef down = fragment(e, 1);
            cluster.stop(down);
            VolumeHandle next = client.openWritable("vol", "host-b");
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.dirty()).isTrue();
            assertThat(after.replicas()).as("kept for the resync").contains(down);
            assertThatThrownBy(() -> read(next, 0, 3 * U)).isInstanceOf(VolumeIoException.class)
                    .hasMessageContaining("may hold a torn stripe");
            assertThatThrownBy(() -> next.write(0, ByteBuffer.wrap(bytes(10, 62)), false))
                    .isInstanceOf(VolumeIoException.class).hasMessageContaining("takes no writes until they can");
            assertThat(cluster.catalog.entry("vol", 0).replicas()).contains(down);
            // The service is back: the next write resyncs the chunk first.
            cluster.restart(down);
            byte[] more = bytes(10, 63);
            next.write(0, ByteBuffer.wrap(more), false);
            System.arraycopy(more, 0, data, 0, more.length);
            assertThat(read(next, 0, 3 * U)).isEqualTo(data);
            next.close();
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
            byte[] model = new byte[(int) SIZE];
            System.arraycopy(data, 0, model, 0, data.length);
            checkFragments(cluster, "vol", shape, model);
        }
    }

    @Test
    void aBackgroundHandleResyncsADirtyChunkOnlyWhenItRepairsIt() {
        ErasureShape shape = new ErasureShape(2, 1);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK, 61);
            h.write(0, ByteBuffer.wrap(data), true);
            System.arraycopy(data, 0, model, 0, CHUNK);
            h.close();
            cluster.catalog.setDirty("vol", 0, true);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ChunkStore store1 = cluster.store(fragment(e, 1));
            ChunkId id1 = EcChunkIo.id(e, 1);
            byte[] torn = bytes(3 * U, 62);
            store1.write(id1, 0, ByteBuffer.wrap(torn), e.version(), store1.stat(id1).orElseThrow().epoch(), true);
            for (int u = 0; u < 3; u++) {
                System.arraycopy(torn, u * U, model, (2 * u + 1) * U, U);
            }
            long epochBefore = store1.stat(id1).orElseThrow().epoch();

            VolumeHandle bg = client.openBackground("vol", "healer");
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isTrue();
            assertThat(store1.stat(id1).orElseThrow().epoch()).as("nothing fenced up front").isEqualTo(epochBefore);
            VolumeHandle.RepairOutcome out = bg.repair(0, List.of(), 1);
            assertThat(out.added()).isEmpty();
            assertThat(cluster.catalog.entry("vol", 0).dirty()).isFalse();
            assertThat(store1.stat(id1).orElseThrow().epoch()).isEqualTo(bg.epoch());
            bg.close();
            checkFragments(cluster, "vol", shape, model);
        }
    }

    @Test
    void repairMovesARemovedFragmentToAnotherService() {
        ErasureShape shape = new ErasureShape(3, 2);
        try (TestCluster cluster = new TestCluster(root, 7, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, shape);
            byte[] model = new byte[(int) SIZE];
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK / 2 + 5, 71);
            h.write(CHUNK / 4, ByteBuffer.wrap(data), false);
            System.arraycopy(data, 0, model, CHUNK / 4, data.length);
            ChunkEntry e = cluster.catalog.entry("vol", 0);
            ReplicaRef leaving = fragment(e, 3);

            VolumeHandle.RepairOutcome out = h.repair(0, List.of(leaving), 1);

            assertThat(out.dropped()).containsExactly(leaving);
            assertThat(out.added()).hasSize(1);
            assertThat(out.added().getFirst().fragment()).isEqualTo(3);
            assertThat(e.replicas()).noneMatch(r -> r.sameService(out.added().getFirst()));
            assertThat(cluster.store(leaving).stat(EcChunkIo.id(e, 3))).isEmpty();
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.replicas()).hasSize(5).doesNotContain(leaving);
            assertThat(after.version()).isEqualTo(e.version() + 2);
            h.close();
            checkFragments(cluster, "vol", shape, model);
            try (VolumeHandle r = client.openReadOnly("vol")) {
                assertThat(read(r, 0, CHUNK)).isEqualTo(Arrays.copyOf(model, CHUNK));
            }
        }
    }
}
