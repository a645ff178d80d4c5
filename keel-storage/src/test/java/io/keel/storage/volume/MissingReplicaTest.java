package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static io.keel.storage.volume.VolumeFailureTest.bytes;
import static io.keel.storage.volume.VolumeFailureTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 0028: a replica whose node is merely missing keeps its place in the chunk map (it is
 * rebuilt only once the grace period gives it up), while one that missed a write is stale and
 * goes at once. Healing must not turn the first kind into the second.
 */
class MissingReplicaTest {
    static final long SIZE = 4L * CHUNK;

    @TempDir
    Path root;

    @Test
    void aBackgroundOpenDropsNoReplicaItCannotReach() {
        try (TestCluster cluster = new TestCluster(root, 3, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            byte[] data = bytes(2 * CHUNK, 1);
            try (VolumeHandle w = client.openWritable("vol", "host-a")) {
                w.write(CHUNK / 2, ByteBuffer.wrap(data), true);
            }
            var before = cluster.catalog.layout("vol").chunks();
            ReplicaRef missing = cluster.refs().get(1);
            cluster.services.down.add(missing);

            try (VolumeHandle healer = client.openBackground("vol", "healer")) {
                assertThat(read(healer, CHUNK / 2, data.length)).isEqualTo(data);
            }

            assertThat(cluster.catalog.layout("vol").chunks()).isEqualTo(before);
            assertThat(before.values()).allSatisfy(e -> assertThat(e.replicas()).contains(missing));
        }
    }

    @Test
    void aRepairLeavesTheChunkAloneWhileAReplicaThatStaysIsUnreachable() {
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            byte[] data = bytes(100_000, 2);
            VolumeHandle h = client.openBackground("vol", "healer");
            ChunkEntry before = cluster.writeSparing(fourth, h, data, true);
            ReplicaRef leaving = before.replicas().get(0);
            ReplicaRef missing = before.replicas().get(1);
            cluster.services.down.add(missing);

            assertThatThrownBy(() -> h.repair(0, List.of(leaving), 1)).isInstanceOf(ReplicaUnreachableException.class)
                    .hasMessageContaining(missing.toString());
            assertThat(cluster.catalog.entry("vol", 0)).isEqualTo(before);
            assertThat(cluster.stores.get(fourth).stat(before.chunk())).as("no copy started").isEmpty();

            // Once it is given up (the planner names it for removal), the repair goes ahead.
            VolumeHandle.RepairOutcome out = h.repair(0, List.of(missing), 1);
            assertThat(out.added()).containsExactly(fourth);
            assertThat(cluster.catalog.entry("vol", 0).replicas()).containsExactlyInAnyOrder(leaving,
                    before.replicas().get(2), fourth);
            assertThat(TestCluster.readReplica(cluster.stores.get(fourth), before.chunk(), 0, data.length))
                    .isEqualTo(data);
            h.close();
        }
    }

    @Test
    void aMoveWhoseNewCopyDiesAsTheOldOneLeavesKeepsTheOldOne() {
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(200_000, 3);
            ChunkEntry before = cluster.writeSparing(fourth, h, data, false);
            ReplicaRef leaving = before.replicas().getFirst();
            // The new copy is raised once when it joins, then its node dies before the old copy's
            // drop raises it again.
            cluster.services.downAfterRaises.put(fourth, new AtomicInteger(1));

            VolumeHandle.RepairOutcome out = h.repair(0, List.of(leaving), 1);

            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.replicas()).as("still three copies, the old one among them")
                    .containsExactlyInAnyOrderElementsOf(before.replicas());
            assertThat(out.added()).isEmpty();
            assertThat(out.dropped()).isEmpty();
            for (ReplicaRef r : after.replicas()) {
                var store = cluster.stores.get(r);
                assertThat(store.stat(after.chunk()).orElseThrow().version()).isEqualTo(after.version());
                assertThat(TestCluster.readReplica(store, after.chunk(), 0, data.length)).isEqualTo(data);
            }
            assertThat(read(h, 0, data.length)).isEqualTo(data);
            h.close();
        }
    }

    @Test
    void aMoveWhoseNewCopyCannotJoinRemovesNothing() {
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(150_000, 4);
            ChunkEntry before = cluster.writeSparing(fourth, h, data, false);
            // The copy is made, then its node dies before it is raised to the chunk's new version.
            cluster.services.downAfterRaises.put(fourth, new AtomicInteger(0));

            VolumeHandle.RepairOutcome out = h.repair(0, List.of(before.replicas().getFirst()), 1);

            assertThat(out.added()).isEmpty();
            assertThat(out.dropped()).isEmpty();
            assertThat(cluster.catalog.entry("vol", 0).replicas()).containsExactlyInAnyOrderElementsOf(before.replicas());
            assertThat(read(h, 0, data.length)).isEqualTo(data);
            h.close();
        }
    }

    @Test
    void aStayingReplicaLostDuringTheCopyStopsTheRepairBeforeTheChunkChanges() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 4, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults().withRebuildBytesPerSecond(1 << 20))) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            ReplicaRef fourth = cluster.refs().get(3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] data = bytes(CHUNK, 5);
            ChunkEntry before = cluster.writeSparing(fourth, h, data, true);
            ReplicaRef leaving = before.replicas().get(0);
            ReplicaRef dying = before.replicas().get(1);

            var repair = java.util.concurrent.CompletableFuture.supplyAsync(() -> h.repair(0, List.of(leaving), 1));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (cluster.stores.get(fourth).stat(before.chunk()).isEmpty() && !repair.isDone()) {
                assertThat(System.nanoTime()).as("the copy starts").isLessThan(deadline);
                Thread.onSpinWait();
            }
            cluster.services.down.add(dying);

            assertThatThrownBy(repair::join).hasCauseInstanceOf(ReplicaUnreachableException.class);
            assertThat(cluster.catalog.entry("vol", 0)).isEqualTo(before);
            assertThat(cluster.stores.get(fourth).stat(before.chunk())).as("the new copy deleted").isEmpty();
            h.close();
        }
    }
}
