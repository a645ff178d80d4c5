package io.keel.storage.volume;

import static io.keel.storage.volume.TestCluster.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.TestSeeds;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VolumeHandle#writeAsync}: writes started one after another without waiting, completed on
 * the chunk clients' reader threads (ADR 0013, "writes started inline").
 */
class AsyncWriteTest {
    static final long SIZE = 2L * CHUNK;

    @TempDir
    Path root;

    /**
     * Many overlapping writes to one chunk, started from one thread without waiting: every replica
     * must end with them applied in the order they were started, the same bytes everywhere.
     */
    @Test
    void overlappingWritesStartedWithoutWaitingLandInOrderOnEveryReplica() throws Exception {
        long seed = TestSeeds.seed();
        Random rnd = new Random(seed);
        try (TestCluster cluster = new TestCluster(root, 3, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.services.local.add(cluster.refs().get(0)); // one replica answers at once, as on node1
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            byte[] model = new byte[(int) SIZE];
            h.write(0, ByteBuffer.wrap(model), false);
            List<CompletableFuture<Void>> started = new ArrayList<>();
            int window = 64 << 10; // a small range, so writes overlap a lot
            for (int i = 0; i < 600; i++) {
                int off = rnd.nextInt(window);
                int len = 1 + rnd.nextInt(Math.min(16 << 10, window - off));
                byte[] data = VolumeFailureTest.bytes(len, rnd.nextLong());
                CompletableFuture<Void> f = h.writeAsync(CHUNK + off, ByteBuffer.wrap(data), rnd.nextBoolean());
                assertThat(f).as("a one-chunk write starts asynchronously").isNotNull();
                started.add(f);
                System.arraycopy(data, 0, model, CHUNK + off, len);
            }
            h.sendHeld();
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            ChunkEntry e = cluster.catalog.entry("vol", 1);
            assertThat(e.replicas()).hasSize(3);
            for (ReplicaRef r : e.replicas()) {
                assertThat(TestCluster.readReplica(cluster.stores.get(r), e.chunk(), 0, window))
                        .as("replica %s, seed %d", r, seed)
                        .isEqualTo(Arrays.copyOfRange(model, CHUNK, CHUNK + window));
            }
            assertThat(VolumeFailureTest.read(h, 0, (int) SIZE)).as("seed %d", seed).isEqualTo(model);
            h.close();
        }
    }

    @Test
    void heldWritesGoOutWhenSentOrBeforeTheStarterWaits() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 3, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.allocate(4096), false);
            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(h.writeAsync(i * 4096L, ByteBuffer.wrap(VolumeFailureTest.bytes(4096, i)), true));
            }
            Thread.sleep(200);
            assertThat(held).as("queued, not sent").noneMatch(CompletableFuture::isDone);
            // A snapshot now waits for those writes; a further held write must
            // send them before it queues behind the snapshot, or neither would ever finish.
            // Threads of their own: the common pool may have a single worker on a small machine.
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            CompletableFuture<String> snapshot = CompletableFuture.supplyAsync(() -> h.quiesce(() -> "taken"), threads);
            Thread.sleep(200);
            assertThat(snapshot).isNotDone();
            CompletableFuture<CompletableFuture<Void>> next = CompletableFuture.supplyAsync(
                    () -> h.writeAsync(8 * 4096L, ByteBuffer.wrap(VolumeFailureTest.bytes(4096, 9)), true), threads);
            assertThat(snapshot.get(10, TimeUnit.SECONDS)).isEqualTo("taken");
            CompletableFuture<Void> last = next.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            h.sendHeld();
            last.get(10, TimeUnit.SECONDS);
            threads.close();
            h.close();
        }
    }

    /** Writes in a steady stream, always some in flight, must not keep a waiting snapshot out. */
    @Test
    void aStreamOfWritesDoesNotStarveASnapshot() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 3, true);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults());
                java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.allocate(4096), false);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Semaphore depth = new java.util.concurrent.Semaphore(16);
            java.util.concurrent.Future<?> writer = threads.submit(() -> {
                byte[] data = new byte[4096];
                int i = 0;
                while (!stop.get()) {
                    depth.acquireUninterruptibly();
                    h.writeAsync((i++ % 16) * 4096L, ByteBuffer.wrap(data)).whenComplete((v, t) -> depth.release());
                }
                return null;
            });
            Thread.sleep(300);
            CompletableFuture<String> snapshot = CompletableFuture.supplyAsync(() -> h.quiesce(() -> "taken"), threads);
            try {
                assertThat(snapshot.get(10, TimeUnit.SECONDS)).isEqualTo("taken");
            } finally {
                stop.set(true);
                writer.get(10, TimeUnit.SECONDS);
            }
            depth.acquire(16);
            h.close();
        }
    }

    @Test
    void writeCompletesOnlyAfterEveryReplicaAnswered() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 3, true);
                Gates gates = new Gates(cluster);
                VolumeClient client = new VolumeClient(cluster.catalog, gates, cluster.placer,
                        VolumeClientOptions.defaults(), Clock.systemUTC())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.allocate(4096), false);
            ReplicaRef slow = cluster.catalog.entry("vol", 0).replicas().get(2);
            CompletableFuture<Void> gate = gates.hold(slow);
            byte[] data = VolumeFailureTest.bytes(4096, 7);
            CompletableFuture<Void> f = h.writeAsync(8192, ByteBuffer.wrap(data));
            // The other two replicas answer at once; the write must still wait for the third.
            Thread.sleep(300);
            assertThat(f).isNotDone();
            gate.complete(null);
            f.get(10, TimeUnit.SECONDS);
            for (ReplicaRef r : cluster.catalog.entry("vol", 0).replicas()) {
                assertThat(TestCluster.readReplica(cluster.stores.get(r), cluster.catalog.entry("vol", 0).chunk(),
                        8192, 4096)).isEqualTo(data);
            }
            h.close();
        }
    }

    /**
     * A replica that fails a started write is dropped from the catalog (version + 1) before the
     * write completes, as with the synchronous write; later writes and exclusive work (a snapshot's
     * quiesce) go on, so every lock the failed write held was given back.
     */
    @Test
    void replicaFailingMidWriteIsDroppedBeforeTheWriteCompletes() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 3, true);
                Gates gates = new Gates(cluster);
                VolumeClient client = new VolumeClient(cluster.catalog, gates, cluster.placer,
                        VolumeClientOptions.defaults(), Clock.systemUTC())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 3);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.allocate(4096), false);
            ChunkEntry before = cluster.catalog.entry("vol", 0);
            ReplicaRef victim = before.replicas().get(1);
            CompletableFuture<Void> gate = gates.hold(victim);
            byte[] data = VolumeFailureTest.bytes(4096, 11);
            CompletableFuture<Void> f = h.writeAsync(0, ByteBuffer.wrap(data));
            CompletableFuture<Void> next = h.writeAsync(4096, ByteBuffer.wrap(data));
            Thread.sleep(100);
            assertThat(f).isNotDone();
            gate.completeExceptionally(new ChunkIOException("replica died mid-write"));
            f.get(10, TimeUnit.SECONDS);
            next.get(10, TimeUnit.SECONDS);
            ChunkEntry after = cluster.catalog.entry("vol", 0);
            assertThat(after.replicas()).hasSize(2).doesNotContain(victim);
            assertThat(after.version()).isGreaterThan(before.version());
            for (ReplicaRef r : after.replicas()) {
                assertThat(cluster.stores.get(r).stat(after.chunk()).orElseThrow().version()).isEqualTo(after.version());
                assertThat(TestCluster.readReplica(cluster.stores.get(r), after.chunk(), 0, 4096)).isEqualTo(data);
            }
            assertThat(CompletableFuture.supplyAsync(() -> h.quiesce(() -> "quiet")).get(10, TimeUnit.SECONDS))
                    .isEqualTo("quiet");
            CompletableFuture<Void> later = h.writeAsync(0, ByteBuffer.wrap(data));
            later.get(10, TimeUnit.SECONDS);
            h.flush();
            h.close();
        }
    }

    @Test
    void writeFailsWhenEveryReplicaFails() throws Exception {
        try (TestCluster cluster = new TestCluster(root, 2, true);
                Gates gates = new Gates(cluster);
                VolumeClient client = new VolumeClient(cluster.catalog, gates, cluster.placer,
                        VolumeClientOptions.defaults(), Clock.systemUTC())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 2);
            VolumeHandle h = client.openWritable("vol", "host-a");
            h.write(0, ByteBuffer.allocate(4096), false);
            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (ReplicaRef r : cluster.catalog.entry("vol", 0).replicas()) {
                held.add(gates.hold(r));
            }
            CompletableFuture<Void> f = h.writeAsync(0, ByteBuffer.wrap(VolumeFailureTest.bytes(4096, 3)));
            held.forEach(g -> g.completeExceptionally(new ChunkIOException("gone")));
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfAny(VolumeIoException.class, CompletionException.class);
            assertThat(cluster.catalog.entry("vol", 0).replicas()).hasSize(2);
        }
    }

    @Test
    void writesAcrossAChunkBoundaryAreNotStartedAsynchronously() {
        try (TestCluster cluster = new TestCluster(root, 1, false);
                VolumeClient client = cluster.client(VolumeClientOptions.defaults())) {
            cluster.catalog.create("vol", "vol-1", SIZE, CHUNK, 1);
            VolumeHandle h = client.openWritable("vol", "host-a");
            assertThat(h.writeAsync(CHUNK - 10, ByteBuffer.allocate(20))).isNull();
            assertThatThrownBy(() -> h.writeAsync(SIZE - 10, ByteBuffer.allocate(20)))
                    .isInstanceOf(VolumeIoException.class);
            h.close();
        }
    }

    /**
     * The cluster's services, except that a replica's next started write can be held: it is sent
     * (so its data lands) but answers only when the test completes the gate.
     */
    static final class Gates implements ChunkServices, AutoCloseable {
        private final TestCluster cluster;
        private final Map<ReplicaRef, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

        Gates(TestCluster cluster) {
            this.cluster = cluster;
        }

        CompletableFuture<Void> hold(ReplicaRef replica) {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            gates.put(replica, gate);
            return gate;
        }

        @Override
        public ChunkOperations open(ReplicaRef replica) {
            ChunkOperations real = cluster.services.open(replica);
            return (ChunkOperations) Proxy.newProxyInstance(ChunkOperations.class.getClassLoader(),
                    new Class<?>[] {ChunkOperations.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("writeAsync")) {
                            CompletableFuture<Void> gate = gates.remove(replica);
                            if (gate != null) {
                                @SuppressWarnings("unchecked")
                                CompletableFuture<Void> sent = (CompletableFuture<Void>) result;
                                return sent.thenCompose(v -> gate);
                            }
                        }
                        return result;
                    });
        }

        @Override
        public boolean isLocal(ReplicaRef replica) {
            return cluster.services.isLocal(replica);
        }

        @Override
        public void failed(ReplicaRef replica, ChunkOperations ops) {
            cluster.services.failed(replica, ops);
        }

        @Override
        public void close() {
            gates.values().forEach(g -> g.complete(null));
        }
    }
}
