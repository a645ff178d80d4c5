package io.keel.node.storage;

import io.keel.api.ApiException;
import io.keel.meta.cluster.ChunkServiceInfo;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.NodeRecord;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkOperations;
import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import io.keel.storage.cs.ChunkServer;
import io.keel.storage.scrub.Scrubber;
import io.keel.storage.scrub.ScrubberOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one chunk service per storage-role disk of this node, and tells the metadata service
 * where each listens and how much space it has. Called on every agent tick: a disk that gains
 * the storage role gets its service, one that loses it is stopped (its chunks stay on disk).
 */
public final class DiskServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskServices.class);
    /** Chunk files are sized for the largest chunk a volume may use; files are sparse. */
    static final int STORE_CHUNK_SIZE = io.keel.meta.cluster.VolumeCommands.MAX_CHUNK;
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final long REFRESH_DELTA = 1L << 30;

    /** One running service. */
    public record Running(String diskId, ChunkStore store, ChunkServer server, Scrubber scrubber,
            ChunkServiceInfo registered) {}

    /** Told about every chunk a scrub pass found damaged on a local disk. */
    public interface BadChunks {
        void found(String diskId, ChunkId chunk, List<Integer> blocks);
    }

    private final String selfId;
    private final String bindAddress;
    private final String advertiseAddress;
    private final DiskPaths paths;
    private final long reserveBytes;
    private final ScrubberOptions scrub;
    private final BadChunks badChunks;
    private final Consumer<ClusterCommand> submit;
    private final Clock clock;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Set<String> warned = new HashSet<>();

    public DiskServices(String selfId, String bindAddress, String advertiseAddress, DiskPaths paths,
            long reserveBytes, ScrubberOptions scrub, BadChunks badChunks, Consumer<ClusterCommand> submit,
            Clock clock) {
        this.reserveBytes = reserveBytes;
        this.scrub = Objects.requireNonNull(scrub, "scrub");
        this.badChunks = Objects.requireNonNull(badChunks, "badChunks");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.advertiseAddress = Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts, stops and re-registers services to match {@code me}'s disk roles. */
    public synchronized void reconcile(NodeRecord me) {
        Set<String> wanted = new HashSet<>();
        for (Disk disk : me.inventory().disks()) {
            DiskRole role = me.roleOf(disk.id());
            if (role.type() != DiskRole.Type.STORAGE) {
                continue;
            }
            wanted.add(disk.id());
            if (!running.containsKey(disk.id())) {
                start(disk, role);
            }
        }
        for (String id : List.copyOf(running.keySet())) {
            if (!wanted.contains(id)) {
                log.info("disk {} no longer has a storage role: stopping its chunk service", id);
                stop(running.remove(id));
            }
        }
        for (Running r : List.copyOf(running.values())) {
            register(r);
        }
    }

    /** The local store of {@code diskId}, for reads that need not cross the network. */
    public Optional<ChunkOperations> local(String diskId) {
        return Optional.ofNullable(running.get(diskId)).map(Running::store);
    }

    public List<Running> running() {
        return List.copyOf(running.values());
    }

    private void start(Disk disk, DiskRole role) {
        Optional<Path> root = paths.chunkRoot(disk);
        if (root.isEmpty()) {
            if (warned.add(disk.id())) {
                log.warn("disk {} ({}) has a storage role but no mounted filesystem to keep chunks on:"
                        + " make a filesystem on it and mount it; its chunk service stays off until then",
                        disk.id(), disk.device());
            }
            return;
        }
        ChunkStore store = null;
        try {
            ChunkStoreOptions options = ChunkStoreOptions.defaults().withChunkSize(STORE_CHUNK_SIZE)
                    .withChecksums(role.checksumming()).withReservedBytes(reserveBytes);
            store = ChunkStore.open(root.get(), options);
            ChunkServer server = ChunkServer.start(store, bindAddress, 0);
            String diskId = disk.id();
            Scrubber scrubber = new Scrubber(store, scrub, (chunk, blocks) -> {
                log.warn("scrub found {} bad block(s) in chunk {} on disk {}: {}", blocks.size(), chunk, diskId, blocks);
                badChunks.found(diskId, chunk, blocks);
            }, clock, "scrub-" + diskId);
            scrubber.start();
            running.put(disk.id(), new Running(disk.id(), store, server, scrubber, null));
            warned.remove(disk.id());
            log.info("chunk service for disk {} at {} listening on {} (checksums {})", disk.id(), root.get(),
                    server.address(), role.checksumming() ? "on" : "off");
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            if (warned.add(disk.id())) {
                log.warn("cannot start the chunk service of disk {} at {}: {}", disk.id(), root.get(), e.getMessage());
            }
        }
    }

    /** Registers a new service, and again when its free space moved a lot or a while has passed. */
    private void register(Running r) {
        Instant now = clock.instant();
        long free = r.store().freeBytes();
        long capacity = free + r.store().usedBytes();
        ChunkServiceInfo last = r.registered();
        boolean due = last == null
                || Math.abs(last.freeBytes() - free) > Math.max(REFRESH_DELTA, capacity / 50)
                || Duration.between(last.updatedAt(), now).compareTo(REFRESH) >= 0
                || last.port() != r.server().address().getPort();
        if (!due) {
            return;
        }
        ChunkServiceInfo info = new ChunkServiceInfo(selfId, r.diskId(), advertiseAddress,
                r.server().address().getPort(), capacity, free, now);
        try {
            submit.accept(new ClusterCommand.RegisterChunkService(info));
            running.computeIfPresent(r.diskId(), (k, v) -> new Running(k, v.store(), v.server(), v.scrubber(), info));
            if (last == null) {
                log.info("registered the chunk service of disk {} at {}:{}", r.diskId(), advertiseAddress,
                        info.port());
            }
        } catch (ApiException e) {
            log.debug("chunk service of disk {} not registered yet: {}", r.diskId(), e.getMessage());
        }
    }

    private static void stop(Running r) {
        if (r == null) {
            return;
        }
        // The scrubber reads the store, so it stops first; the server last served it, so it goes next.
        r.scrubber().close();
        r.server().close();
        r.store().close();
    }

    @Override
    public synchronized void close() {
        running.values().forEach(DiskServices::stop);
        running.clear();
    }
}
