package io.keel.node.iscsi;

import io.keel.block.BlockDevice;
import io.keel.ha.LocalInstance;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.ChapSecret;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.LunBackend;
import io.keel.iscsi.scsi.LunSpec;
import io.keel.iscsi.scsi.ReservationStore;
import io.keel.iscsi.scsi.TargetPorts;
import io.keel.iscsi.target.IscsiServer;
import io.keel.iscsi.target.ServerOptions;
import io.keel.iscsi.target.Target;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.IscsiSecrets;
import io.keel.meta.cluster.IscsiTargetGroup;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Volume;
import io.keel.node.ha.HaResources;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's iSCSI targets (ADR 0033): one target per target group the node is in, on a portal
 * per listening address, every LUN standby until the HA engine starts its active path here. The
 * agent calls {@link #reconcile} with every state it reads; the local resource manager starts and
 * stops paths through {@link LunPaths}.
 */
public final class IscsiPortals implements LunPaths, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IscsiPortals.class);
    /** The block size initiators see: 512 is what every initiator (ESXi included) takes. */
    static final int BLOCK_SIZE = 512;

    /** Opens a volume by id for writing, taking its write lease; the device's close releases it. */
    public interface VolumeOpener {
        BlockDevice open(String volumeId) throws IOException;
    }

    private final String selfId;
    private final int port;
    private final ServerOptions options;
    private final VolumeOpener volumes;
    private final Function<String, ReservationStore> reservations;
    private final IscsiCounters counters;
    private final Map<String, IscsiServer> servers = new HashMap<>();
    /** Listening addresses that failed, so the warning is logged once, not every second. */
    private final Set<String> failedAddresses = new HashSet<>();
    /** The targets this node serves, by group id. */
    private final Map<String, Served> served = new HashMap<>();
    /** Paths started here, by volume id. */
    private final Map<String, Path> paths = new HashMap<>();
    private boolean closed;

    private record Served(String groupId, String iqn, String address, Target target, Map<Integer, String> luns) {}

    /** A path the HA engine started here: opening (device null), open, or failed (reason set). */
    private static final class Path {
        volatile BlockDevice device;
        volatile String failure;
        volatile boolean stopped;
    }

    public IscsiPortals(String selfId, int port, ServerOptions options, VolumeOpener volumes,
            Function<String, ReservationStore> reservations, IscsiCounters counters) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.port = port;
        this.options = Objects.requireNonNull(options, "options");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** Brings the targets in line with {@code s}: groups, access, LUNs, sizes and active groups. */
    public synchronized void reconcile(ClusterState s) {
        if (closed) {
            return;
        }
        Map<String, IscsiTargetGroup> mine = new HashMap<>();
        for (IscsiTargetGroup g : s.iscsi().groupsOn(selfId)) {
            mine.put(g.id(), g);
        }
        for (String gone : Set.copyOf(served.keySet())) {
            if (!mine.containsKey(gone)) {
                drop(served.remove(gone), "its target group was deleted or no longer includes this node");
            }
        }
        Optional<NodeRecord> self = s.node(selfId);
        if (self.isEmpty()) {
            return;
        }
        for (IscsiTargetGroup g : mine.values()) {
            IscsiTargetGroup.Target t = g.target(selfId).orElseThrow();
            String address = t.address() != null ? t.address() : self.get().address();
            Served sv = served.get(g.id());
            if (sv == null) {
                Optional<IscsiServer> server = server(address);
                if (server.isEmpty()) {
                    continue;
                }
                TargetPorts ports = TargetPorts.onePerGroup(t.portGroup(),
                        g.targets().stream().map(IscsiTargetGroup.Target::portGroup).toList());
                Target target = server.get().addTarget(t.iqn(), ports, access(g, s.iscsi().secrets(g.id())));
                sv = new Served(g.id(), t.iqn(), address, target, new HashMap<>());
                served.put(g.id(), sv);
                log.info("iSCSI target {} of group {} serves on {}:{}", t.iqn(), g.name(), address, port);
            } else {
                AccessPolicy policy = access(g, s.iscsi().secrets(g.id()));
                if (!policy.equals(sv.target().access())) {
                    sv.target().access(policy);
                }
            }
            List<Target.Peer> peers = g.targets().stream().filter(o -> !o.nodeId().equals(selfId))
                    .filter(o -> s.node(o.nodeId()).map(n -> n.inventory().iscsiPort() != 0).orElse(false))
                    .map(o -> new Target.Peer(o.iqn(), portal(s, o))).toList();
            if (!peers.equals(sv.target().peers())) {
                sv.target().peers(peers);
            }
            luns(s, g, sv);
        }
        closeIdleServers();
    }

    private void luns(ClusterState s, IscsiTargetGroup g, Served sv) {
        Map<Integer, String> wanted = new HashMap<>();
        g.luns().forEach(l -> wanted.put(l.lun(), l.volumeId()));
        for (Map.Entry<Integer, String> e : Map.copyOf(sv.luns()).entrySet()) {
            if (!e.getValue().equals(wanted.get(e.getKey()))) {
                sv.target().remove(e.getKey()).ifPresent(u -> u.standby().ifPresent(this::closeBackend));
                sv.luns().remove(e.getKey());
                stopPath(e.getValue(), "LUN " + e.getKey() + " was removed");
            }
        }
        ResourceLookup ha = new ResourceLookup(s);
        for (IscsiTargetGroup.Lun l : g.luns()) {
            Optional<Volume> v = s.volume(l.volumeId());
            if (v.isEmpty()) {
                continue;
            }
            long size = v.get().sizeBytes() / BLOCK_SIZE * BLOCK_SIZE;
            LogicalUnit unit = sv.target().lun(l.lun()).orElse(null);
            if (unit == null) {
                unit = sv.target().export(l.lun(), new LunSpec(l.volumeId(), size, BLOCK_SIZE),
                        reservations.apply(l.volumeId()));
                sv.luns().put(l.lun(), l.volumeId());
                Path p = paths.get(l.volumeId());
                if (p != null && p.device != null) {
                    unit.activate(counted(p.device, l.volumeId(), sv.iqn()));
                }
            } else if (unit.spec().size() != size) {
                unit.resize(size);
            }
            unit.activeGroup(ha.activeGroup(g, l.volumeId()));
        }
    }

    /** Where the HA status says each LUN's path runs. */
    private record ResourceLookup(ClusterState s) {
        OptionalInt activeGroup(IscsiTargetGroup g, String volumeId) {
            ResourceStatus rs = s.haStatus().map(r -> r.status().resources().get(HaResources.iscsiId(volumeId)))
                    .orElse(null);
            if (rs == null || rs.state() != ResourceState.STARTED || !rs.confirmed() || rs.node() == null) {
                return OptionalInt.empty();
            }
            return g.target(rs.node()).map(t -> OptionalInt.of(t.portGroup())).orElse(OptionalInt.empty());
        }
    }

    static AccessPolicy access(IscsiTargetGroup g, Optional<IscsiSecrets> secrets) {
        IscsiTargetGroup.Access a = g.access();
        Optional<ChapSecret> chap = Optional.empty();
        Optional<ChapSecret> mutual = Optional.empty();
        if (a.chapUser() != null && secrets.map(IscsiSecrets::chapSecret).isPresent()) {
            chap = Optional.of(new ChapSecret(a.chapUser(), secrets.get().chapSecret()));
            if (a.mutualChapUser() != null && secrets.get().mutualChapSecret() != null) {
                mutual = Optional.of(new ChapSecret(a.mutualChapUser(), secrets.get().mutualChapSecret()));
            }
        }
        return new AccessPolicy(Set.copyOf(a.initiators()), chap, mutual);
    }

    private Optional<IscsiServer> server(String address) {
        IscsiServer s = servers.get(address);
        if (s != null) {
            return Optional.of(s);
        }
        try {
            s = IscsiServer.start(address, port, options);
            servers.put(address, s);
            failedAddresses.remove(address);
            return Optional.of(s);
        } catch (IOException | RuntimeException e) {
            if (failedAddresses.add(address)) {
                log.warn("cannot serve iSCSI on {}:{}: {} (the node's iscsi.port, or the group's portal address)",
                        address, port, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private void closeIdleServers() {
        Set<String> used = new HashSet<>();
        served.values().forEach(sv -> used.add(sv.address()));
        for (String address : Set.copyOf(servers.keySet())) {
            if (!used.contains(address)) {
                servers.remove(address).close();
            }
        }
    }

    private void drop(Served sv, String why) {
        IscsiServer server = servers.get(sv.address());
        if (server != null) {
            server.removeTarget(sv.iqn());
        }
        for (Map.Entry<Integer, String> e : sv.luns().entrySet()) {
            sv.target().lun(e.getKey()).ifPresent(u -> u.standby().ifPresent(this::closeBackend));
            stopPath(e.getValue(), why);
        }
        log.info("iSCSI target {} removed: {}", sv.iqn(), why);
    }

    /** The units presenting {@code volumeId} here (one per target; a volume is in one group). */
    private List<LogicalUnit> units(String volumeId) {
        return served.values().stream().flatMap(sv -> sv.luns().entrySet().stream()
                .filter(e -> e.getValue().equals(volumeId))
                .flatMap(e -> sv.target().lun(e.getKey()).stream())).toList();
    }

    private String iqnOf(String volumeId) {
        return served.values().stream().filter(sv -> sv.luns().containsValue(volumeId)).map(Served::iqn)
                .findFirst().orElse("?");
    }

    @Override
    public synchronized Map<String, LocalInstance> instances() {
        Map<String, LocalInstance> out = new HashMap<>();
        paths.forEach((volumeId, p) -> {
            String id = HaResources.iscsiId(volumeId);
            if (p.failure != null) {
                out.put(id, new LocalInstance(id, LocalInstance.State.FAILED, p.failure));
            } else {
                out.put(id, new LocalInstance(id, p.device == null ? LocalInstance.State.STARTING
                        : LocalInstance.State.RUNNING, null));
            }
        });
        return out;
    }

    @Override
    public synchronized void start(String volumeId) {
        Path existing = paths.get(volumeId);
        if (existing != null && existing.failure == null) {
            return;
        }
        Path p = new Path();
        paths.put(volumeId, p);
        Thread.ofVirtual().name("iscsi-path-" + volumeId).start(() -> open(volumeId, p));
    }

    private void open(String volumeId, Path p) {
        BlockDevice device;
        try {
            device = volumes.open(volumeId);
        } catch (IOException | RuntimeException e) {
            p.failure = "cannot open volume " + volumeId + " for the LUN's active path: " + e.getMessage();
            log.warn("iSCSI: {}", p.failure);
            return;
        }
        synchronized (this) {
            if (p.stopped || paths.get(volumeId) != p) {
                closeQuietly(device);
                return;
            }
            p.device = device;
            for (LogicalUnit u : units(volumeId)) {
                u.activate(counted(device, volumeId, iqnOf(volumeId))).ifPresent(this::closeBackend);
            }
        }
        log.info("iSCSI: active path of volume {} started here", volumeId);
    }

    @Override
    public synchronized void stop(String volumeId, String why) {
        stopPath(volumeId, why);
    }

    private void stopPath(String volumeId, String why) {
        Path p = paths.remove(volumeId);
        if (p == null) {
            return;
        }
        p.stopped = true;
        for (LogicalUnit u : units(volumeId)) {
            // Waits for the commands in flight: nothing writes through the device after this.
            u.standby();
        }
        if (p.device != null) {
            closeQuietly(p.device);
            log.info("iSCSI: active path of volume {} stopped here: {}", volumeId, why);
        }
    }

    private LunBackend counted(BlockDevice device, String volumeId, String iqn) {
        return counters.wrap(iqn, new io.keel.iscsi.target.BlockDeviceLun(device, volumeId, BLOCK_SIZE));
    }

    /** The device is closed by {@link #stopPath}; a backend handed back by a unit needs nothing more. */
    private void closeBackend(LunBackend backend) {}

    private static void closeQuietly(BlockDevice device) {
        try {
            device.close();
        } catch (IOException | RuntimeException e) {
            log.warn("iSCSI: closing a volume failed: {}", e.toString());
        }
    }

    /** Sessions logged in to target {@code iqn} here. */
    public synchronized int sessions(String iqn) {
        return served.values().stream().filter(sv -> sv.iqn().equals(iqn)).findFirst()
                .map(sv -> servers.get(sv.address())).map(srv -> srv.sessions(iqn)).orElse(0);
    }

    /** {@code ADDRESS:PORT} of a group's target, the address in brackets when it is IPv6. */
    public static String portal(ClusterState s, IscsiTargetGroup.Target t) {
        Optional<NodeRecord> n = s.node(t.nodeId());
        String address = t.address() != null ? t.address() : n.map(NodeRecord::address).orElse("?");
        int port = n.map(r -> r.inventory().iscsiPort()).orElse(0);
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** Where the targets listen, by address: for tests and the node's log. */
    public synchronized Map<String, Integer> listening() {
        Map<String, Integer> out = new HashMap<>();
        servers.forEach((a, s) -> out.put(a, s.port()));
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (String volumeId : Set.copyOf(paths.keySet())) {
            stopPath(volumeId, "the node is stopping");
        }
        servers.values().forEach(IscsiServer::close);
        servers.clear();
        served.clear();
    }
}
