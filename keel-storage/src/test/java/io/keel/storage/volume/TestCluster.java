package io.keel.storage.volume;

import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import io.keel.storage.cs.ChunkClient;
import io.keel.storage.cs.ChunkServer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real chunk stores on temporary directories, reached directly or through real chunk servers over
 * 127.0.0.1, with the catalog model, a placer and chunk services on top.
 */
final class TestCluster implements AutoCloseable {
    static final int CHUNK = 1 << 20;

    final InMemoryCatalog catalog = new InMemoryCatalog(Clock.systemUTC());
    final Map<ReplicaRef, ChunkStore> stores = new LinkedHashMap<>();
    final Map<ReplicaRef, ChunkServer> servers = new ConcurrentHashMap<>();
    final Services services = new Services();
    final Placer placer = new Placer();
    private final Path root;
    private final boolean network;

    TestCluster(Path root, int disks, boolean network) {
        this.root = root;
        this.network = network;
        for (int i = 0; i < disks; i++) {
            addDisk(ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0));
        }
    }

    ReplicaRef addDisk(ChunkStoreOptions options) {
        int n = stores.size();
        ReplicaRef ref = new ReplicaRef("node" + n, "disk" + n);
        ChunkStore store = ChunkStore.open(root.resolve("disk" + n), options);
        stores.put(ref, store);
        if (network) {
            servers.put(ref, ChunkServer.start(store, "127.0.0.1", 0));
        }
        return ref;
    }

    /** Reopens a disk's store with other options (only without servers, which hold the store). */
    void reopen(ReplicaRef ref, ChunkStoreOptions options) {
        if (network) {
            throw new IllegalStateException("reopen needs a cluster without servers");
        }
        ChunkStore old = stores.get(ref);
        Path dir = old.root();
        old.close();
        stores.put(ref, ChunkStore.open(dir, options));
    }

    List<ReplicaRef> refs() {
        return List.copyOf(stores.keySet());
    }

    /** The store of the disk holding {@code ref}, whatever fragment it names. */
    ChunkStore store(ReplicaRef ref) {
        return stores.get(disk(ref));
    }

    static ReplicaRef disk(ReplicaRef ref) {
        return ref.withFragment(ReplicaRef.WHOLE);
    }

    Path chunkFile(ReplicaRef ref, ChunkId id) {
        return store(ref).root().resolve("chunks").resolve(id.fileName() + ".data");
    }

    /**
     * Writes {@code data} at offset 0 with {@code spare} kept out of placement, so that a repair
     * has a disk to put a new copy on; returns chunk 0's entry.
     */
    ChunkEntry writeSparing(ReplicaRef spare, VolumeHandle h, byte[] data, boolean fua) {
        placer.excluded.add(spare);
        try {
            h.write(0, ByteBuffer.wrap(data), fua);
        } finally {
            placer.excluded.remove(spare);
        }
        return catalog.entry(h.volumeId(), 0);
    }

    /** Stops a disk's chunk server, as a crash or a network cut would look to the client. */
    void stop(ReplicaRef ref) {
        services.down.add(disk(ref));
        servers.get(disk(ref)).close();
    }

    /** Starts a stopped disk's chunk server again, on a new port. */
    void restart(ReplicaRef ref) {
        ReplicaRef d = disk(ref);
        servers.put(d, ChunkServer.start(stores.get(d), "127.0.0.1", 0));
        services.down.remove(d);
    }

    VolumeClient client(VolumeClientOptions options) {
        return new VolumeClient(catalog, services, placer, options, Clock.systemUTC());
    }

    static byte[] readReplica(ChunkStore store, ChunkId id, long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        store.read(id, offset, b);
        return b.array();
    }

    @Override
    public void close() {
        services.close();
        servers.values().forEach(ChunkServer::close);
        stores.values().forEach(ChunkStore::close);
    }

    /** Network clients when the cluster runs servers, the stores themselves otherwise. */
    final class Services implements ChunkServices, AutoCloseable {
        final Set<ReplicaRef> down = ConcurrentHashMap.newKeySet();
        final Set<ReplicaRef> local = ConcurrentHashMap.newKeySet();
        private final Map<ReplicaRef, ChunkClient> clients = new ConcurrentHashMap<>();
        final List<ReplicaRef> failures = new ArrayList<>();
        /** Replicas that go down after this many more version raises: a node dying in the middle of a repair. */
        final Map<ReplicaRef, java.util.concurrent.atomic.AtomicInteger> downAfterRaises = new ConcurrentHashMap<>();

        @Override
        public ChunkOperations open(ReplicaRef ref) {
            ReplicaRef replica = disk(ref);
            if (!network) {
                ChunkStore s = stores.get(replica);
                if (s == null || down.contains(replica)) {
                    throw new VolumeIoException(VolumeIoException.Kind.EIO, "no service for " + replica);
                }
                java.util.concurrent.atomic.AtomicInteger raises = downAfterRaises.get(replica);
                return raises == null ? s : dyingAfterRaises(replica, s, raises);
            }
            try {
                return clients.computeIfAbsent(replica, r -> ChunkClient.connect(servers.get(r).address()));
            } catch (ChunkIOException | IllegalStateException e) {
                throw new VolumeIoException(VolumeIoException.Kind.EIO, "cannot reach " + replica, e);
            }
        }

        private ChunkOperations dyingAfterRaises(ReplicaRef replica, ChunkStore store,
                java.util.concurrent.atomic.AtomicInteger raises) {
            return (ChunkOperations) java.lang.reflect.Proxy.newProxyInstance(ChunkOperations.class.getClassLoader(),
                    new Class<?>[] {ChunkOperations.class}, (proxy, method, args) -> {
                        if (method.getName().equals("setVersion") && raises.getAndDecrement() <= 0) {
                            down.add(replica);
                        }
                        if (down.contains(replica)) {
                            throw new VolumeIoException(VolumeIoException.Kind.EIO, "no service for " + replica);
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public boolean isLocal(ReplicaRef replica) {
            return local.contains(disk(replica));
        }

        @Override
        public void failed(ReplicaRef ref, ChunkOperations ops) {
            ReplicaRef replica = disk(ref);
            synchronized (failures) {
                failures.add(replica);
            }
            if (ops instanceof ChunkClient c && clients.remove(replica, c)) {
                c.close();
            }
        }

        @Override
        public void close() {
            clients.values().forEach(ChunkClient::close);
        }
    }

    /** Spreads chunks over the disks by index, skipping disks that are down or already hold the chunk. */
    final class Placer implements ReplicaPlacer {
        final Set<ReplicaRef> excluded = ConcurrentHashMap.newKeySet();

        @Override
        public List<ReplicaRef> place(String volumeId, long index, int count, List<ReplicaRef> existing) {
            List<ReplicaRef> all = refs();
            List<ReplicaRef> out = new ArrayList<>();
            for (int i = 0; i < all.size() && out.size() < count; i++) {
                ReplicaRef r = all.get((int) ((index + i) % all.size()));
                if (existing.stream().noneMatch(r::sameService) && !excluded.contains(r) && !services.down.contains(r)) {
                    out.add(r);
                }
            }
            return out;
        }
    }
}
