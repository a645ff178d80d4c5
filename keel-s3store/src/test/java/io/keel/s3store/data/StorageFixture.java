package io.keel.s3store.data;

import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import io.keel.storage.cs.ChunkClient;
import io.keel.storage.cs.ChunkServer;
import io.keel.storage.volume.ChunkServices;
import io.keel.storage.volume.ReplicaPlacer;
import io.keel.storage.volume.ReplicaRef;
import io.keel.storage.volume.VolumeClient;
import io.keel.storage.volume.VolumeClientOptions;
import io.keel.storage.volume.VolumeHandle;
import io.keel.storage.volume.VolumeIoException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real chunk stores on temporary directories served by real chunk servers on 127.0.0.1, the
 * {@link FixtureCatalog} and a placer; each "node" gets its own connections and {@link VolumeClient}.
 * (keel-storage builds no test-jar, so its own TestCluster is out of reach.)
 */
final class StorageFixture implements AutoCloseable {
    static final int CHUNK = 1 << 20;
    static final int REPLICAS = 2;

    final FixtureCatalog catalog = new FixtureCatalog();
    final Map<ReplicaRef, ChunkStore> stores = new LinkedHashMap<>();
    private final Map<ReplicaRef, ChunkServer> servers = new LinkedHashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ReplicaPlacer placer = this::place;

    StorageFixture(Path root, int disks) {
        for (int i = 0; i < disks; i++) {
            ReplicaRef ref = new ReplicaRef("node" + i, "disk" + i);
            ChunkStore store = ChunkStore.open(root.resolve("disk" + i),
                    ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0));
            stores.put(ref, store);
            servers.put(ref, ChunkServer.start(store, "127.0.0.1", 0));
        }
    }

    /** A node's volume client, with connections of its own to every chunk server. */
    synchronized VolumeClient client() {
        Services services = new Services();
        VolumeClient client = new VolumeClient(catalog, services, placer, VolumeClientOptions.defaults(),
                Clock.systemUTC());
        opened.add(services);
        opened.add(client);
        return client;
    }

    /** The node's {@link DataVolumes}: volumes in the catalog, opened by {@code client} as {@code holder}. */
    DataVolumes volumes(VolumeClient client, String holder) {
        return new DataVolumes() {
            @Override
            public String create(String name, long sizeBytes) {
                catalog.create(name, sizeBytes, CHUNK, REPLICAS);
                return name;
            }

            @Override
            public VolumeHandle openWritable(String volumeId) {
                return client.openWritable(volumeId, holder);
            }

            @Override
            public VolumeHandle openReadOnly(String volumeId) {
                return client.openReadOnly(volumeId);
            }
        };
    }

    /** Blocks holding data, over every disk: each replica counts. */
    long usedBytes() {
        return stores.values().stream().mapToLong(ChunkStore::usedBytes).sum();
    }

    long bytesTrimmed() {
        return stores.values().stream().mapToLong(s -> s.stats().bytesTrimmed()).sum();
    }

    private List<ReplicaRef> place(String volumeId, long index, int count, List<ReplicaRef> existing) {
        List<ReplicaRef> all = List.copyOf(stores.keySet());
        List<ReplicaRef> out = new ArrayList<>();
        for (int i = 0; i < all.size() && out.size() < count; i++) {
            ReplicaRef r = all.get((int) ((index + i) % all.size()));
            if (!existing.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        servers.values().forEach(ChunkServer::close);
        stores.values().forEach(ChunkStore::close);
    }

    /** One node's connections to the chunk servers, made on first use and remade after a failure. */
    private final class Services implements ChunkServices, AutoCloseable {
        private final Map<ReplicaRef, ChunkClient> clients = new ConcurrentHashMap<>();

        @Override
        public ChunkOperations open(ReplicaRef replica) {
            ChunkServer server = servers.get(replica);
            if (server == null) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, "no chunk service " + replica);
            }
            return clients.computeIfAbsent(replica, r -> ChunkClient.connect(server.address()));
        }

        @Override
        public boolean isLocal(ReplicaRef replica) {
            return false;
        }

        @Override
        public void failed(ReplicaRef replica, ChunkOperations ops) {
            if (ops instanceof ChunkClient c && clients.remove(replica, c)) {
                c.close();
            }
        }

        @Override
        public void close() {
            clients.values().forEach(ChunkClient::close);
        }
    }
}
