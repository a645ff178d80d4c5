package io.keel.node.daemon;

import io.keel.api.ApiConfig;
import io.keel.api.ApiServer;
import io.keel.api.ApiServices;
import io.keel.compute.qemu.QemuBinary;
import io.keel.compute.qemu.QemuLauncher;
import io.keel.compute.qmp.QmpClientOptions;
import io.keel.ha.HaConfig;
import io.keel.node.compute.HostTaps;
import io.keel.node.ha.ClusterEvents;
import io.keel.node.ha.GracefulShutdown;
import io.keel.node.ha.MajorityContact;
import io.keel.node.ha.NodeHa;
import io.keel.node.compute.VmAgent;
import io.keel.node.compute.VmConsoles;
import io.keel.node.compute.VmMigrations;
import io.keel.node.compute.VmSnapshotter;
import io.keel.node.compute.VmSuspender;
import io.keel.node.compute.VmStatsCollector;
import io.keel.node.metrics.VmMetrics;
import io.keel.node.service.NetworkServiceImpl;
import io.keel.node.service.VmDiskServiceImpl;
import io.keel.node.service.VmStatsServiceImpl;
import io.keel.node.compute.VmRuntimeDirs;
import io.keel.node.compute.VmSpecs;
import io.keel.node.service.VmServiceImpl;
import io.keel.node.service.VmSnapshotServiceImpl;
import io.keel.api.tls.SelfSignedCertificate;
import io.keel.api.TlsConfig;
import io.keel.compute.qemu.AcceleratorChoice;
import io.keel.compute.qemu.AcceleratorDetector;
import io.keel.meta.cluster.AcceleratorReport;
import io.keel.meta.cluster.ClusterCodec;
import io.keel.meta.cluster.ClusterLogic;
import io.keel.meta.cluster.Inventory;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.raft.MetaClient;
import io.keel.meta.raft.RaftTuning;
import io.keel.node.config.NodeConfig;
import io.keel.node.health.HeartbeatMonitor;
import io.keel.node.health.HeartbeatSender;
import io.keel.node.image.ImageServiceImpl;
import io.keel.node.inventory.InventoryProbe;
import io.keel.node.membership.MembershipReconciler;
import io.keel.node.membership.MetadataHost;
import io.keel.node.metrics.DiskMetrics;
import io.keel.node.monitoring.MonitoringServiceImpl;
import io.keel.node.monitoring.NodeMonitoring;
import io.keel.node.monitoring.NodeReadings;
import io.keel.node.metrics.NodeMetrics;
import io.keel.node.service.ClusterServiceImpl;
import io.keel.node.service.ComputeServiceImpl;
import io.keel.node.service.Credentials;
import io.keel.node.service.MetaGateway;
import io.keel.node.service.NodeJoins;
import io.keel.iscsi.target.ServerOptions;
import io.keel.node.iscsi.IscsiCounters;
import io.keel.node.s3.S3Gateways;
import io.keel.node.s3.S3IndexHosting;
import io.keel.node.s3.S3Metrics;
import io.keel.node.s3.S3Stack;
import io.keel.node.iscsi.IscsiPortals;
import io.keel.node.iscsi.LunPaths;
import io.keel.node.iscsi.MetaReservationStore;
import io.keel.node.service.IscsiPeerCounters;
import io.keel.node.service.IscsiServiceImpl;
import io.keel.node.service.S3ObjectServiceImpl;
import io.keel.node.service.S3ServiceImpl;
import io.keel.node.storage.DiskPaths;
import io.keel.node.storage.DiskServices;
import io.keel.node.storage.IoMeters;
import io.keel.node.storage.StorageStack;
import io.keel.node.metrics.StorageMetrics;
import io.keel.node.service.SnapshotServiceImpl;
import io.keel.node.service.VolumeServiceImpl;
import io.keel.meta.raft.MetadataServer;
import io.keel.storage.scrub.ScrubberOptions;
import io.keel.storage.volume.VolumeHandle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code keel node} process: enters a cluster (bootstrap, join, or resume from its identity
 * file), then hosts the metadata service when it has the role, the REST API, heartbeats and
 * metrics until it is stopped.
 */
public final class NodeDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeDaemon.class);
    /**
     * From exec to QMP; generous because a loaded TCG host can be slow to map guest RAM, and
     * because QEMU opens its NBD disks before its monitor: the open fences every chunk, and a
     * replica host cut off by a partition (no reset, just silence) holds it for the chunk I/O
     * timeout (30 s). HA recovery after a partition starts VMs exactly then (ADR 0031).
     */
    private static final Duration VM_START_TIMEOUT = Duration.ofSeconds(75);
    /** A VM snapshot's recording normally takes one metadata command; past this the guest runs on regardless. */
    private static final Duration VM_SNAPSHOT_MAX_PAUSE = Duration.ofSeconds(5);

    /** How a node without an identity file enters a cluster. */
    public sealed interface Entry {
        record Resume() implements Entry {}

        record Bootstrap() implements Entry {}

        record Join(String address, String token) implements Entry {
            public Join {
                Objects.requireNonNull(address, "address");
                Objects.requireNonNull(token, "token");
            }
        }
    }

    private final NodeConfig config;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private ApiServer api;
    private AcceleratorChoice acceleratorChoice;
    private NodeHa ha;
    private GracefulShutdown shutdown;

    public NodeDaemon(NodeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    static Path metaDir(NodeConfig config) {
        return config.dataDir().resolve("meta");
    }

    public void start(Entry entry) throws IOException {
        Files.createDirectories(config.dataDir());
        Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx------"));
        Inventory inventory = new InventoryProbe(Path.of("/proc"), Path.of("/sys"), config.directoryDisks()).probe()
                .withAccelerator(accelerator()).withIscsiPort(config.iscsiPort());
        InternalHttp http = new InternalHttp(config.tls());
        RaftTuning tuning = RaftTuning.defaults();
        ClusterEntry.MetadataHostFactory hosts = (nodeId, groupId) -> new MetadataHost(nodeId, metaDir(config),
                config.bindAddress(), config.raftPort(), groupId, new ClusterLogic(), tuning);

        NodeIdentity identity;
        if (NodeIdentity.exists(config.dataDir())) {
            identity = NodeIdentity.load(config.dataDir());
            if (!(entry instanceof Entry.Resume)) {
                log.info("node already belongs to cluster {}; resuming instead of {}", identity.clusterId(),
                        entry instanceof Entry.Bootstrap ? "bootstrapping" : "joining");
            }
        } else {
            ClusterEntry enter = new ClusterEntry(config, inventory, random, clock);
            identity = switch (entry) {
                case Entry.Bootstrap b -> enter.bootstrap(hosts);
                case Entry.Join j -> enter.join(j.address(), j.token(), http);
                case Entry.Resume r -> throw new IOException("this node has not joined a cluster yet: start it with"
                        + " --bootstrap (new cluster) or --join ADDRESS --token TOKEN");
            };
        }
        run(identity, inventory, http, hosts, tuning);
    }

    private void run(NodeIdentity identity, Inventory inventory, InternalHttp http,
            ClusterEntry.MetadataHostFactory hosts, RaftTuning tuning) throws IOException {
        String selfId = identity.nodeId();
        HeartbeatMonitor monitor = new HeartbeatMonitor(clock, selfId);
        MetadataHost host = hosts.create(selfId, identity.raftGroupId());
        resources.add(host);
        PeerBook peers = new PeerBook(identity.peers());
        MetaClient client = new MetaClient(identity.raftGroupId(), peers.current(), tuning.requestTimeout());
        resources.add(client);
        // Short enough to refuse writes soon after a majority is lost, long enough that a busy
        // machine's late heartbeats do not make a live majority look lost.
        Duration quorumWindow = min(config.detectionTime(), config.heartbeatInterval().multipliedBy(5));
        MetaGateway meta = new MetaGateway(selfId, host, client, new ClusterCodec(), monitor, quorumWindow,
                peers::current, clock);
        HaConfig haConfig = haConfig(config);
        NodeAgent agent = new NodeAgent(identity, peers, config.dataDir(), meta, host, client,
                new MembershipReconciler(), inventory);
        if (host.hasState()) {
            // The stored Raft configuration wins; a member never added yet waits for the leader.
            host.ensureStarted(List.of());
        }

        Credentials credentials = new Credentials(random);
        ClusterServiceImpl service = new ClusterServiceImpl(meta, host, monitor, config.detectionTime(),
                new NodeJoins(meta, credentials, identity.raftGroupId(), clock), credentials, clock);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NodeMetrics metrics = new NodeMetrics(registry, host, meta, monitor, config.detectionTime());
        VolumeServiceImpl volumeService = new VolumeServiceImpl(meta,
                n -> !monitor.alive(n, config.detectionTime()), clock, random);
        AtomicReference<StorageStack> storageRef = new AtomicReference<>();
        PeerHttp peerCalls = new PeerHttp(selfId, identity.nodeSecret(), http);
        SnapshotServiceImpl snapshotService = new SnapshotServiceImpl(selfId, meta, volumeService, () -> {
            StorageStack st = storageRef.get();
            return st == null ? java.util.Map.of() : st.writers();
        }, peerCalls, clock, random);
        ComputeServiceImpl computeService = new ComputeServiceImpl(meta, monitor, config.detectionTime(), clock);
        ImageServiceImpl imageService = imageService(selfId, meta, volumeService, snapshotService, storageRef);
        VmServiceImpl vmService = new VmServiceImpl(meta, volumeService,
                n -> monitor.alive(n, config.detectionTime()), clock, random);
        VmRuntimeDirs vmDirs = new VmRuntimeDirs(config.dataDir(), selfId);
        HostTaps hostTaps = new HostTaps(Path.of("/sys/class/net"), selfId);
        AtomicReference<VmAgent> vmAgentRef = new AtomicReference<>();
        VmStatsCollector vmStats = new VmStatsCollector(Path.of("/proc"), hostTaps, vmDirs,
                id -> Optional.ofNullable(vmAgentRef.get()).flatMap(a -> a.qmp(id)), clock);
        VmMetrics vmMetrics = new VmMetrics(registry, vmStats::all);
        IscsiCounters iscsiCounters = new IscsiCounters(registry);
        AtomicReference<IscsiPortals> iscsiRef = new AtomicReference<>();
        AtomicReference<S3Stack> s3Ref = new AtomicReference<>();
        NodeMonitoring monitoring = NodeMonitoring.open(config.dataDir());
        resources.add(monitoring);
        api = new ApiServer(apiConfig(selfId), ApiServices.of(service).withVolumes(volumeService)
                .withSnapshots(snapshotService).withCompute(computeService).withImages(imageService)
                .withVms(vmService)
                .withConsoles(new VmConsoles(selfId, vmDirs, meta::state, config.tls()),
                        new PeerCredential(selfId, identity.nodeSecret(), http))
                .withVmSnapshots(new VmSnapshotServiceImpl(meta, n -> monitor.alive(n, config.detectionTime()), clock,
                        random))
                .withVmStats(new VmStatsServiceImpl(selfId, meta, n -> monitor.alive(n, config.detectionTime()),
                        vmStats::of, peerCalls))
                .withVmDisks(new VmDiskServiceImpl(meta, vmService, volumeService, clock))
                .withNetworks(new NetworkServiceImpl(meta, vmService, clock, random))
                .withHa(new io.keel.node.service.HaServiceImpl(meta, clock))
                .withIscsi(new IscsiServiceImpl(selfId, meta, n -> monitor.alive(n, config.detectionTime()),
                        new IscsiPeerCounters(selfId, () -> iscsiCounters.snapshot(iqn -> Optional.ofNullable(
                                iscsiRef.get()).map(p -> p.sessions(iqn)).orElse(0)), peerCalls), clock, random))
                .withS3(new S3ServiceImpl(meta::state, meta::submit, clock, new java.security.SecureRandom()))
                .withS3Objects(new S3ObjectServiceImpl(selfId, meta::state,
                        () -> Optional.ofNullable(s3Ref.get()).flatMap(S3Stack::current), S3Stack::usage,
                        (backend, state) -> s3Ref.get().sweepLifecycleNow(backend, state)))
                .withMonitoring(MonitoringServiceImpl.forNode(selfId, meta::state,
                        n -> monitor.alive(n, config.detectionTime()), new MonitoringServiceImpl.Local(
                                monitoring.history(), () -> StorageMetrics.chunkHealth(meta.state(),
                                        n -> !monitor.alive(n, config.detectionTime())),
                                () -> Optional.ofNullable(storageRef.get()).map(NodeDaemon::rebuildCounters)
                                        .orElse(MonitoringServiceImpl.RebuildCounters.NONE)), peerCalls, clock)),
                registry);
        api.start();
        log.info("node {} ({}) serving the API on {}://{}:{}", config.name(), selfId,
                config.tls() ? "https" : "http", config.advertiseAddress(), api.port());

        DiskServices disks = new DiskServices(selfId, config.bindAddress(), config.advertiseAddress(),
                DiskPaths.system(), config.storage().diskReserveBytes(),
                new ScrubberOptions(config.storage().scrubBytesPerSecond(), config.storage().scrubInterval()),
                (disk, chunk, blocks) -> {
                    StorageStack st = storageRef.get();
                    if (st != null) {
                        st.badBlocks(disk, chunk, blocks);
                    }
                }, meta::submit, clock);
        resources.add(disks);
        IoMeters ioMeters = new IoMeters(registry);
        StorageStack storage = new StorageStack(selfId, config.bindAddress(), config.storage(), disks, meta,
                n -> monitor.alive(n, config.detectionTime()), n -> !monitor.alive(n, config.storage().gracePeriod()),
                n -> monitor.alive(n, config.heartbeatInterval().multipliedBy(3)),
                () -> host.server().map(MetadataServer::isLeader).orElse(false), haConfig.leaseTtl(),
                ioMeters, clock);
        storageRef.set(storage);
        StorageMetrics storageMetrics = new StorageMetrics(registry, storage.stats(), storage.healer(),
                storage.collector(), storage::lastAudit);
        resources.add(storage);
        IscsiPortals iscsi = null;
        if (config.iscsiPort() != 0) {
            // After the storage in the list, so it is closed first: its paths close their volumes.
            iscsi = new IscsiPortals(selfId, config.iscsiPort(), ServerOptions.defaults(),
                    id -> storage.openVolume(id, true), id -> new MetaReservationStore(meta, id, clock), iscsiCounters);
            iscsiRef.set(iscsi);
            resources.add(iscsi);
        }
        // After the storage in the list, so closed before it: the gateways' data volumes close first.
        S3Stack s3Stack = new S3Stack(selfId, meta, storage, meta::members, host::server, clock, random);
        resources.add(s3Stack);
        s3Ref.set(s3Stack);
        S3Metrics s3Metrics = new S3Metrics(registry);
        S3Gateways s3 = new S3Gateways(selfId, config.bindAddress(), config.s3PortOffset(), meta::state,
                s3Stack::backend, s3Stack.settings(), s3Metrics, clock);
        resources.add(s3);
        S3IndexHosting s3Index = new S3IndexHosting(selfId, host::server, meta::members);
        DiskMetrics diskMetrics = new DiskMetrics(registry, disks);

        AtomicReference<NodeHa> haRef = new AtomicReference<>();
        VmAgent vms = vmAgent(selfId, meta, vmDirs, storage, hostTaps,
                vm -> Optional.ofNullable(haRef.get()).map(h -> h.mayLaunch(vm)).orElse(false));
        resources.add(vms);
        vmAgentRef.set(vms);
        ClusterEvents haEvents = new ClusterEvents(meta::state, meta::submit, registry);
        MajorityContact contact = new MajorityContact(selfId, () -> meta.members().stream().map(p -> p.id()).toList(),
                monitor::lastHeard, monitor.startedAt(), meta::lastAckedWrite, () -> !storage.writers().isEmpty(), clock);
        NodeHa ha = new NodeHa(new NodeHa.Wiring(selfId, meta::state, meta::submit,
                () -> host.server().map(MetadataServer::isLeader).orElse(false), () -> meta.quorum().hasMajority(),
                contact, monitor::lastHeard, monitor::haActing, monitor.startedAt(), haEvents, clock, meta::leaderState),
                haConfig, vms,
                iscsi == null ? LunPaths.none() : iscsi);
        haRef.set(ha);
        this.ha = ha;
        this.shutdown = new GracefulShutdown(selfId, meta::state, meta::submit, vms,
                n -> monitor.alive(n, config.heartbeatInterval().multipliedBy(3)), ha::stopLaunching, clock);

        HeartbeatSender sender = new HeartbeatSender(selfId, identity.nodeSecret(), http,
                () -> meta.state().nodes(), config.heartbeatInterval(), clock, ha::acting);
        scheduler = Executors.newScheduledThreadPool(4, Thread.ofPlatform().daemon().name("keel-node-", 0).factory());
        long period = config.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(guard("heartbeats", sender::round), 0, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("agent", () -> {
            agent.tick().flatMap(state -> state.node(selfId)).filter(NodeRecord::inCluster)
                    .ifPresent(disks::reconcile);
            metrics.refresh(meta);
            diskMetrics.refresh();
            storageMetrics.refresh(meta.state(), n -> !monitor.alive(n, config.detectionTime()));
        }), 0, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("lost nodes' chunk connections", storage::dropLostNodes), period, period,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("VMs", () -> vms.tick(meta.state())), period, period,
                TimeUnit.MILLISECONDS);
        if (iscsi != null) {
            IscsiPortals targets = iscsi;
            scheduler.scheduleWithFixedDelay(guard("iSCSI targets", () -> targets.reconcile(meta.state())), 0, period,
                    TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(guard("S3", () -> {
            io.keel.meta.cluster.ClusterState s3State = meta.state();
            s3Index.reconcile(s3State);
            s3Stack.refreshMembers();
            s3.reconcile(s3State);
        }), 0, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("S3 lifecycle", () -> s3Stack.sweepLifecycle(meta.state(),
                host.server().map(m -> m.status().leaderId()))), 60_000, S3Stack.LIFECYCLE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        NodeReadings readings = new NodeReadings(selfId, ioMeters::totals, disks::running, meta::state,
                storage.stats()::bytesRebuilt, s3Metrics::totals, clock);
        long sampleEvery = NodeMonitoring.SAMPLE_EVERY.toMillis();
        scheduler.scheduleAtFixedRate(guard("monitoring", () -> monitoring.sample(readings)), sampleEvery, sampleEvery,
                TimeUnit.MILLISECONDS);
        long saveEvery = NodeMonitoring.SAVE_EVERY.toMillis();
        scheduler.scheduleWithFixedDelay(guard("monitoring file", monitoring::save), saveEvery, saveEvery,
                TimeUnit.MILLISECONDS);
        long haPeriod = haConfig.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guard("HA manager", ha::managerRound), period, haPeriod, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("HA local", ha::localRound), period, haPeriod, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("VM stats", () -> {
            vmStats.refresh(meta.state().vmsOn(selfId));
            vmMetrics.refresh();
        }), period, period, TimeUnit.MILLISECONDS);
    }

    private static MonitoringServiceImpl.RebuildCounters rebuildCounters(StorageStack storage) {
        return new MonitoringServiceImpl.RebuildCounters(storage.healer().pendingChunks(),
                storage.healer().chunksRepaired(), storage.stats().bytesRebuilt());
    }

    /** QEMUs in sessions of their own, so that stopping this process never stops the VMs. */
    private VmAgent vmAgent(String selfId, MetaGateway meta, VmRuntimeDirs dirs, StorageStack storage,
            HostTaps hostTaps, java.util.function.Predicate<io.keel.meta.cluster.Vm> mayLaunch) {
        Path qemu = QemuBinary.find(QemuBinary.X86_64, System.getenv("PATH")).orElse(Path.of(QemuBinary.X86_64));
        QemuLauncher launcher = new QemuLauncher(qemu, VM_START_TIMEOUT, QmpClientOptions.defaults(), true);
        String nbdHost = "0.0.0.0".equals(config.bindAddress()) || "::".equals(config.bindAddress())
                ? "127.0.0.1" : config.bindAddress();
        VmSpecs specs = new VmSpecs(meta::state, acceleratorChoice.accelerator(), nbdHost, config.storage().nbdPort(),
                hostTaps);
        VmMigrations migrations = new VmMigrations(selfId, meta::state, meta::submit, clock, launcher, specs,
                storage::activateStandby);
        return new VmAgent(selfId, dirs, launcher, specs,
                command -> meta.submit(command), clock, migrations,
                new VmSnapshotter(selfId, storage::writers, command -> meta.submit(command), clock,
                        VM_SNAPSHOT_MAX_PAUSE, storage::openVolume),
                new VmSuspender(selfId, meta::state, command -> meta.submit(command), clock, launcher, specs,
                        storage::openVolume), mayLaunch);
    }

    /**
     * The HA engine's timing: heartbeats and detection are the node's own settings (one clock for
     * "Unhealthy" and "lost"), the lease and self-fence times ADR 0027's defaults, which the
     * engine's configuration checks against each other.
     */
    static HaConfig haConfig(NodeConfig config) {
        HaConfig d = HaConfig.defaults();
        return new HaConfig(config.heartbeatInterval(), config.detectionTime(), d.leaseTtl(), d.selfFenceTimeout(),
                d.maxRestart(), d.maxRelocate(), d.relocation(), d.migrateBack(), d.shutdownPolicy());
    }

    /** Uploads are staged on the data disk; files a stopped node left there are removed first. */
    private ImageServiceImpl imageService(String selfId, MetaGateway meta, VolumeServiceImpl volumes,
            SnapshotServiceImpl snapshots, AtomicReference<StorageStack> storage) {
        Path stagingDir = config.dataDir().resolve("image-staging");
        ImageServiceImpl images = ImageServiceImpl.forNode(selfId, meta, volumes, snapshots, stagingDir,
                config.storage().diskReserveBytes(),
                () -> java.util.Optional.ofNullable(storage.get()).flatMap(StorageStack::nbdAddress), clock, random);
        try {
            int removed = new io.keel.node.image.StagingArea(stagingDir, 0).clean();
            if (removed > 0) {
                log.info("removed {} unfinished image upload(s) from {}", removed, stagingDir);
            }
        } catch (IOException e) {
            log.warn("cannot clean the image staging directory {}: {}", stagingDir, e.getMessage());
        }
        return images;
    }

    /**
     * Decided once at start, like the rest of the inventory: what it looks at (the KVM device, CPU
     * flags, kernel modules) does not change while the node runs, and a changed setting needs a
     * restart anyway. The agent reports it with the inventory when it differs from the stored one.
     */
    private AcceleratorReport accelerator() {
        AcceleratorChoice choice = AcceleratorDetector.forThisHost().choose(config.compute().accelerator());
        acceleratorChoice = choice;
        log.info("VMs will run on {}: {}", choice.accelerator().qemuName(), choice.reason());
        return new AcceleratorReport(choice.accelerator().qemuName(), choice.mode().configValue(), choice.reason());
    }

    private ApiConfig apiConfig(String nodeId) throws IOException {
        TlsConfig tls = null;
        if (config.tls()) {
            Path keystore = config.dataDir().resolve("tls").resolve("node.p12");
            Files.createDirectories(keystore.getParent());
            // The keystore sits beside identity.json under the same 0700 data directory.
            String password = nodeId;
            try {
                SelfSignedCertificate.create(keystore, password.toCharArray(),
                        java.util.stream.Stream.of("localhost", config.advertiseAddress(), "127.0.0.1").distinct().toList());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot create the node's TLS certificate: " + e.getMessage(), e);
            }
            tls = new TlsConfig(keystore, password);
        }
        return new ApiConfig(config.bindAddress(), config.apiPort(), tls, ApiConfig.DEFAULT_SESSION_TTL, nodeId);
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        log.info("node {} stopping", config.name());
        if (shutdown != null) {
            // Before anything closes: moving VMs needs the HA rounds, the VM agent and the metadata.
            try {
                ha.beginShutdown();
                shutdown.run();
            } catch (RuntimeException e) {
                log.warn("graceful shutdown of the VMs not completed: {}", e.toString());
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (api != null) {
            api.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
        log.info("node {} stopped", config.name());
    }
}
