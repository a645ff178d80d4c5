package io.keel.storage.volume;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens volumes for I/O: the replicated client library every export (NBD, iSCSI, S3, NFS) uses.
 * Owns the threads that talk to replicas in parallel and renew leases, and the rebuild rate limit
 * shared by all repairs it runs. Thread-safe.
 */
public final class VolumeClient implements AutoCloseable {
    private final VolumeCatalog catalog;
    private final ChunkServices services;
    private final ReplicaPlacer placer;
    private final VolumeClientOptions options;
    private final Clock clock;
    private final VolumeStats stats = new VolumeStats();
    private final RateLimiter rebuildLimiter;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService renewals;
    private final Set<VolumeHandle> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public VolumeClient(VolumeCatalog catalog, ChunkServices services, ReplicaPlacer placer,
            VolumeClientOptions options, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        // Erasure-coded refs name a fragment; the services are keyed by disk alone.
        this.services = new FragmentServices(Objects.requireNonNull(services, "services"));
        this.placer = Objects.requireNonNull(placer, "placer");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rebuildLimiter = new RateLimiter(options.rebuildBytesPerSecond());
        this.renewals = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("volume-lease-renewal").daemon(true).factory());
    }

    /**
     * Opens a volume for writing under a foreground lease, after fencing every older writer off
     * its chunks.
     *
     * @throws LeaseHeldException if another holder's lease is live
     */
    public VolumeHandle openWritable(String volumeId, String holder) {
        return openLeased(volumeId, holder, false);
    }

    /**
     * Opens a volume for healing under a background lease: a later foreground open takes the
     * volume over, and this handle is then fenced. Unlike a writer's open it fences no chunk up
     * front: fencing every chunk would drop the replicas of a node that died a moment ago from all
     * of them, and so rebuild them long before the grace period (ADR 0028). Each repair fences the
     * chunk it changes instead; the next writer's open fences the rest. Meant for repairs: a write
     * through it fences only the replicas it reaches.
     */
    public VolumeHandle openBackground(String volumeId, String holder) {
        return openLeased(volumeId, holder, true);
    }

    /** Opens a volume for reading only; needs no lease. */
    public VolumeHandle openReadOnly(String volumeId) {
        Objects.requireNonNull(volumeId, "volumeId");
        checkOpen();
        VolumeContext ctx = context(volumeId);
        VolumeHandle v = ctx.layout().ec() != null ? EcVolume.readOnly(ctx, open::remove)
                : new ReadOnlyVolume(ctx, open::remove);
        open.add(v);
        return v;
    }

    public VolumeStats stats() {
        return stats;
    }

    public VolumeClientOptions options() {
        return options;
    }

    private VolumeHandle openLeased(String volumeId, String holder, boolean background) {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(holder, "holder");
        checkOpen();
        Lease lease = catalog.acquire(volumeId, holder, background, options.leaseTtl());
        LeaseKeeper keeper = new LeaseKeeper(catalog, lease, options, clock);
        VolumeHandle v;
        try {
            VolumeContext ctx = context(volumeId);
            if (ctx.layout().ec() != null) {
                EcVolume ec = EcVolume.leased(ctx, keeper, open::remove);
                keeper.start(renewals);
                ec.openLeased(background);
                ec.clearIdleMarks(renewals, io);
                v = ec;
            } else {
                WritableVolume w = new WritableVolume(ctx, keeper, open::remove);
                keeper.start(renewals);
                if (!background) {
                    w.fenceOnOpen();
                }
                v = w;
            }
        } catch (RuntimeException e) {
            keeper.release();
            throw e;
        }
        open.add(v);
        return v;
    }

    private VolumeContext context(String volumeId) {
        return new VolumeContext(volumeId, catalog, placer, new ReplicaIo(services, io, options.ioTimeout()), stats,
                rebuildLimiter);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("volume client is closed");
        }
    }

    /** Closes every handle still open (flushing and releasing leases), then stops the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (VolumeHandle h : List.copyOf(open)) {
            h.close();
        }
        renewals.shutdownNow();
        io.close();
    }
}
