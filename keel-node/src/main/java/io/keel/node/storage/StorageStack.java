package io.keel.node.storage;

import io.keel.block.nbd.NbdServer;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.ReplicaAudit;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import io.keel.node.config.StorageConfig;
import io.keel.node.service.MetaGateway;
import io.keel.storage.cs.ChunkClientOptions;
import io.keel.storage.volume.VolumeClient;
import io.keel.storage.volume.VolumeClientOptions;
import io.keel.storage.volume.VolumeStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's volume layer on top of its chunk services: the volume client over the replicated
 * catalog, volumes exported over NBD, healing and the collection of unreferenced chunk copies.
 * Healing runs on its own thread so a long rebuild never delays heartbeats or the agent.
 */
public final class StorageStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageStack.class);
    static final Duration HEAL_EVERY = Duration.ofSeconds(2);
    static final Duration COLLECT_EVERY = Duration.ofSeconds(10);
    /**
     * The version audit is the cheap half of scrubbing (one stat per replica, no data read), so it
     * runs on the scrub schedule but at least hourly.
     */
    static final Duration AUDIT_AT_LEAST_EVERY = Duration.ofHours(1);

    private final NodeChunkServices services;
    private final VolumeClient client;
    private final VolumeExports exports;
    private final NbdServer nbd;
    private final Healer healer;
    private final ChunkCollector collector;
    private final ScheduledExecutorService background;
    private final AtomicReference<ReplicaAudit.Report> lastAudit = new AtomicReference<>();

    /**
     * @param nodeAlive whether a node was heard from within the failure-detection time
     * @param nodeGone  whether a node has been missing for longer than the grace period
     * @param nodeFresh whether a node was heard from within the last few heartbeats
     * @param leader    whether this node is the metadata leader (it heals volumes no one holds)
     * @param writeLeaseTtl how long this node's volume write leases last unrenewed: the HA lease
     *                  time, so a node cut off from the majority loses them soon after it
     *                  self-fenced (ADR 0029)
     */
    public StorageStack(String selfId, String bindAddress, StorageConfig config, DiskServices disks,
            MetaGateway meta, Predicate<String> nodeAlive, Predicate<String> nodeGone, Predicate<String> nodeFresh,
            BooleanSupplier leader, Duration writeLeaseTtl,
            IoMeters meters, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        Supplier<ClusterState> state = meta::state;
        services = new NodeChunkServices(selfId, disks, state, ChunkClientOptions.defaults(), nodeAlive, clock);
        NodeReplicaPlacer placer = new NodeReplicaPlacer(selfId, state, nodeAlive, services);
        client = new VolumeClient(new MetaVolumeCatalog(meta, clock), services, placer,
                VolumeClientOptions.defaults().withLeaseTtl(writeLeaseTtl)
                        .withRebuildBytesPerSecond(config.rebuildBytesPerSecond()), clock);
        exports = new VolumeExports(selfId, client, state, meta::leaderState, meters);
        healer = new Healer(selfId, state, client, exports::writers, leader, nodeGone, nodeAlive.negate(), nodeFresh, clock,
                m -> placer.prefer(m.volumeId(), m.index(), MetaVolumeCatalog.toRef(m.to())));
        Duration delay = config.gracePeriod().multipliedBy(2);
        collector = new ChunkCollector(selfId, disks, state, delay.compareTo(Duration.ofSeconds(10)) < 0
                ? Duration.ofSeconds(10) : delay, clock);
        NbdServer server = null;
        if (config.nbdPort() != 0) {
            try {
                server = NbdServer.start(bindAddress, config.nbdPort(), exports);
                log.info("volumes exported over NBD on {}", server.address());
            } catch (IOException e) {
                close(exports, client, services);
                throw new IOException("cannot serve NBD on " + bindAddress + ":" + config.nbdPort() + ": "
                        + e.getMessage() + " (set storage.nbdPort, or 0 to turn NBD off)", e);
            }
        }
        nbd = server;
        background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("keel-storage-background").factory());
        background.scheduleWithFixedDelay(guard("healing", healer::round), HEAL_EVERY.toMillis(),
                HEAL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(guard("chunk collection", collector::round), COLLECT_EVERY.toMillis(),
                COLLECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(guard("replica audit", () -> {
            if (leader.getAsBoolean()) {
                audit(state.get(), nodeAlive);
            }
        }), COLLECT_EVERY.toMillis(), auditInterval(config).toMillis(), TimeUnit.MILLISECONDS);
    }

    static Duration auditInterval(StorageConfig config) {
        return config.scrubInterval().compareTo(AUDIT_AT_LEAST_EVERY) < 0 ? config.scrubInterval() : AUDIT_AT_LEAST_EVERY;
    }

    /** Where this node's NBD server listens; empty when NBD is turned off. */
    public Optional<java.net.InetSocketAddress> nbdAddress() {
        return Optional.ofNullable(nbd).map(NbdServer::address);
    }

    public VolumeStats stats() {
        return client.stats();
    }

    /** Volumes this node holds open for writing, by id. */
    public java.util.Map<String, io.keel.storage.volume.VolumeHandle> writers() {
        return exports.writers();
    }

    /** A live migration's switch-over: this node's standby opens of the volume take its write lease (ADR 0019). */
    public void activateStandby(String volumeId) throws io.keel.block.BlockIoException {
        exports.activate(volumeId);
    }

    /** A volume by id, opened in this process as the NBD server opens it (a VM's saved state, ADR 0021). */
    public io.keel.block.BlockDevice openVolume(String volumeId, boolean write) throws java.io.IOException {
        return exports.open(volumeId, write).orElseThrow(() -> new java.io.IOException("volume " + volumeId
                + " does not exist"));
    }

    /** A volume for this node's own writing (S3 object data): see {@link VolumeExports#writer}. */
    public io.keel.storage.volume.VolumeHandle writableHandle(String volumeId) {
        return exports.writer(volumeId);
    }

    /** A volume for reading only, without a lease, from any node. */
    public io.keel.storage.volume.VolumeHandle readOnlyHandle(String volumeId) {
        return client.openReadOnly(volumeId);
    }

    /** Fails what waits on nodes the heartbeats call lost; see {@link NodeChunkServices#dropLostNodes}. */
    public void dropLostNodes() {
        services.dropLostNodes();
    }

    public Healer healer() {
        return healer;
    }

    public ChunkCollector collector() {
        return collector;
    }

    /**
     * Asks every reachable service for the version of every replica the maps name; copies found
     * missing are rebuilt by the healer, version drift is reported.
     */
    public ReplicaAudit.Report audit(ClusterState s, Predicate<String> nodeAlive) {
        ReplicaAudit.Report report = ReplicaAudit.run(s, r -> nodeAlive.test(r.nodeId()),
                (replica, chunk) -> services.open(MetaVolumeCatalog.toRef(replica))
                        .stat(new ChunkId(chunk.storageIdOf(replica), chunk.index())).map(ChunkInfo::version));
        lastAudit.set(report);
        List<ReplicaAudit.Finding> missing = report.findings().stream()
                .filter(f -> f.kind() == ReplicaAudit.Finding.Kind.MISSING).toList();
        healer.lostCopies(missing);
        if (!report.findings().isEmpty()) {
            log.warn("replica audit: {} replicas checked, {} missing, {} behind their map's version, {} ahead",
                    report.replicasChecked(), missing.size(), report.count(ReplicaAudit.Finding.Kind.BEHIND),
                    report.count(ReplicaAudit.Finding.Kind.AHEAD));
        }
        return report;
    }

    /** The last audit this node ran, if it ran one (only the metadata leader does). */
    public Optional<ReplicaAudit.Report> lastAudit() {
        return Optional.ofNullable(lastAudit.get());
    }

    /** A chunk copy on a local disk failed its scrub: rewrite the bad blocks from a good replica. */
    public void badBlocks(String diskId, io.keel.storage.chunk.ChunkId chunk, java.util.List<Integer> blocks) {
        healer.badBlocks(diskId, chunk, blocks);
    }

    private static Runnable guard(String what, Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("{} round failed: {}", what, e.toString());
            }
        };
    }

    private static void close(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("error while stopping the volume layer: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        if (nbd != null) {
            nbd.close();
        }
        close(healer, exports, client, services);
    }
}
