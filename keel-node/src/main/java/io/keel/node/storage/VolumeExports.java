package io.keel.node.storage;

import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import io.keel.block.ExportInfo;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Volume;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.VolumeClient;
import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as NBD exports, by name, and their snapshots read-only as {@code VOLUME@SNAPSHOT}. All write opens of one volume on this node share a single
 * handle and write lease (so a client's multiple connections do not fence each other); the
 * lease is released when the last of them closes. Read-only opens each get their own handle.
 * {@code VOLUME~standby} is a write open that takes the lease only at its first write or at
 * {@link #activate} (the disks of a QEMU waiting for a live migration, ADR 0019).
 */
public final class VolumeExports implements BlockExports, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VolumeExports.class);

    private final String holder;
    private final IoMeters meters;
    private final VolumeClient client;
    private final Supplier<ClusterState> state;
    private final Supplier<ClusterState> fresh;
    private final Map<String, Shared> writers = new HashMap<>();
    private final Map<String, Object> opening = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.Set<StandbyBlockDevice>> standby = new HashMap<>();

    /** Marks a standby open; '~' cannot occur in volume or snapshot names ({@code Names}). */
    public static final String STANDBY_SUFFIX = "~standby";
    /** How long a standby open waits for the source node to let go of the lease before failing the write. */
    static final java.time.Duration STANDBY_WAIT = java.time.Duration.ofSeconds(10);
    private static final long STANDBY_RETRY_MILLIS = 50;

    /** The export name under which {@code volumeName} is opened on standby. */
    public static String standbyExport(String volumeName) {
        return Objects.requireNonNull(volumeName, "volumeName") + STANDBY_SUFFIX;
    }

    private static final class Shared {
        final VolumeHandle handle;
        int users;

        Shared(VolumeHandle handle) {
            this.handle = handle;
        }
    }

    /**
     * @param state this node's view of the metadata
     * @param fresh the leader's view, asked when an export is not found in {@code state}
     */
    public VolumeExports(String holder, VolumeClient client, Supplier<ClusterState> state,
            Supplier<ClusterState> fresh, IoMeters meters) {
        this.fresh = Objects.requireNonNull(fresh, "fresh");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.client = Objects.requireNonNull(client, "client");
        this.state = Objects.requireNonNull(state, "state");
    }

    @Override
    public Optional<BlockDevice> open(String exportName, boolean writeAccess) throws BlockIoException {
        boolean onStandby = exportName.endsWith(STANDBY_SUFFIX);
        Optional<Volume> v = volume(onStandby ? exportName.substring(0, exportName.length() - STANDBY_SUFFIX.length())
                : exportName);
        if (v.isEmpty() || onStandby && v.get().isSnapshot()) {
            return Optional.empty();
        }
        String id = v.get().id();
        try {
            if (onStandby && writeAccess) {
                return Optional.of(openStandby(id));
            }
            if (!writeAccess || v.get().isSnapshot()) {
                VolumeHandle h = client.openReadOnly(id);
                return Optional.of(new VolumeBlockDevice(h, true, meters, h::close));
            }
            VolumeHandle h = acquire(id);
            if (h.size() < v.get().sizeBytes()) {
                // Grown since the shared handle opened (a VM disk extended online, ADR 0022): a new
                // connection must see the new size. Under quiesce, as after a snapshot, so no write
                // runs while the layout is reloaded.
                h.quiesce(() -> null);
            }
            return Optional.of(new VolumeBlockDevice(h, false, meters, () -> giveBack(id, h)));
        } catch (LeaseHeldException e) {
            throw new BlockIoException(BlockIoException.Kind.EPERM, e.getMessage() + "; open it read-only or on that node");
        } catch (VolumeException e) {
            throw VolumeBlockDevice.map(e);
        }
    }

    @Override
    public Optional<ExportInfo> info(String exportName, boolean writeAccess) {
        String name = exportName.endsWith(STANDBY_SUFFIX)
                ? exportName.substring(0, exportName.length() - STANDBY_SUFFIX.length()) : exportName;
        return volume(name).map(v -> new ExportInfo(v.sizeBytes(), VolumeBlockDevice.BLOCK_SIZE, v.isSnapshot(),
                true));
    }

    /** Volumes by name, and their snapshots as {@code VOLUME@SNAPSHOT} (read-only). */
    @Override
    public List<String> list() {
        ClusterState s = state.get();
        List<String> names = new java.util.ArrayList<>();
        for (Volume v : s.volumes()) {
            names.add(v.name());
            s.snapshots(v.id()).forEach(snap -> names.add(v.name() + "@" + snap.name()));
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    @Override
    public Optional<String> description(String exportName) {
        return volume(exportName).map(v -> v.isSnapshot() ? "Keel snapshot " + exportName + " (read-only)"
                : "Keel volume " + v.name() + " (policy " + v.policy() + ")");
    }

    /**
     * This node's shared write handle on a volume, for a service of the node itself (the S3
     * gateway's data volumes): counted among {@link #writers()} so the healer repairs through it,
     * and held until closed. {@link io.keel.storage.volume.LeaseHeldException} when another node
     * holds the lease.
     */
    public VolumeHandle writer(String volumeId) {
        return acquire(volumeId);
    }

    /** Volumes this node holds open for writing, by id: the healer repairs these through their handle. */
    public synchronized Map<String, VolumeHandle> writers() {
        Map<String, VolumeHandle> out = new HashMap<>();
        writers.forEach((id, s) -> out.put(id, s.handle));
        return out;
    }

    /** Opening fences every chunk over the network, so only opens of the same volume wait for each other. */
    private VolumeHandle acquire(String id) {
        synchronized (opening.computeIfAbsent(id, k -> new Object())) {
            synchronized (this) {
                Shared s = writers.get(id);
                if (s != null && !s.handle.isClosed() && !s.handle.fenced()) {
                    s.users++;
                    return s.handle;
                }
            }
            VolumeHandle h = client.openWritable(id, holder);
            log.info("volume {} opened for writing with lease epoch {}", id, h.epoch());
            synchronized (this) {
                Shared s = new Shared(h);
                s.users = 1;
                Shared old = writers.put(id, s);
                if (old != null) {
                    old.handle.close();
                }
                return h;
            }
        }
    }

    private synchronized void giveBack(String id, VolumeHandle h) {
        Shared s = writers.get(id);
        if (s == null || s.handle != h) {
            h.close();
            return;
        }
        if (--s.users == 0) {
            writers.remove(id);
            try {
                h.close();
            } catch (VolumeException e) {
                log.warn("closing volume {}: {}", id, e.getMessage());
            }
        }
    }

    private StandbyBlockDevice openStandby(String id) {
        StandbyBlockDevice[] made = new StandbyBlockDevice[1];
        StandbyBlockDevice.Leaser leaser = new StandbyBlockDevice.Leaser() {
            @Override
            public VolumeHandle take() throws BlockIoException {
                return acquireWaiting(id);
            }

            @Override
            public void giveBack(VolumeHandle handle) {
                VolumeExports.this.giveBack(id, handle);
            }
        };
        made[0] = new StandbyBlockDevice(client.openReadOnly(id), leaser, meters, () -> forgetStandby(id, made[0]));
        synchronized (this) {
            standby.computeIfAbsent(id, k -> new java.util.HashSet<>()).add(made[0]);
        }
        log.info("volume {} opened on standby for writing: the lease is taken at the first write", id);
        return made[0];
    }

    private synchronized void forgetStandby(String id, StandbyBlockDevice d) {
        java.util.Set<StandbyBlockDevice> set = standby.get(id);
        if (set != null && set.remove(d) && set.isEmpty()) {
            standby.remove(id);
        }
    }

    /**
     * The switch-over of a live migration: every standby open of {@code volumeId} on this node takes
     * the write lease now, waiting a bounded time for the source node to let go of it.
     *
     * @return how many standby opens there were
     * @throws BlockIoException EIO when the lease stayed held elsewhere
     */
    public int activate(String volumeId) throws BlockIoException {
        List<StandbyBlockDevice> devices;
        synchronized (this) {
            devices = List.copyOf(standby.getOrDefault(volumeId, java.util.Set.of()));
        }
        for (StandbyBlockDevice d : devices) {
            d.activate();
        }
        return devices.size();
    }

    private VolumeHandle acquireWaiting(String id) throws BlockIoException {
        return waitForLease(id, () -> acquire(id), STANDBY_WAIT, STANDBY_RETRY_MILLIS);
    }

    /** Opens the shared write handle; while another node still holds the lease, retries until {@code wait} is over. */
    static VolumeHandle waitForLease(String id, Supplier<VolumeHandle> open, java.time.Duration wait, long retryMillis)
            throws BlockIoException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                VolumeHandle h = open.get();
                log.info("volume {}: standby open took the write lease (epoch {})", id, h.epoch());
                return h;
            } catch (LeaseHeldException e) {
                if (System.nanoTime() >= deadline) {
                    log.warn("volume {}: a standby open could not take the write lease within {} ms, failing the"
                            + " write: {}", id, wait.toMillis(), e.getMessage());
                    throw new BlockIoException(BlockIoException.Kind.EIO, e.getMessage() + "; still held after "
                            + wait.toMillis() + " ms", e);
                }
            } catch (VolumeException e) {
                throw VolumeBlockDevice.map(e);
            }
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BlockIoException(BlockIoException.Kind.EIO, "interrupted while waiting for the write lease"
                        + " of volume " + id, e);
            }
        }
    }

    /** Looked up locally, then at the leader: a volume created through another node a moment ago is found. */
    private Optional<Volume> volume(String name) {
        Optional<Volume> local = volume(state.get(), name);
        return local.isPresent() ? local : volume(fresh.get(), name);
    }

    private static Optional<Volume> volume(ClusterState s, String name) {
        int at = name.indexOf('@');
        if (at < 0) {
            return s.volumeByIdOrName(name);
        }
        return s.volumeByIdOrName(name.substring(0, at))
                .flatMap(v -> s.snapshotByIdOrName(v.id(), name.substring(at + 1)));
    }

    @Override
    public synchronized void close() {
        writers.values().forEach(s -> s.handle.close());
        writers.clear();
    }
}
