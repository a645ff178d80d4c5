package io.keel.meta.cluster;

import io.keel.meta.store.KvReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, read-only view of the cluster state held in a {@link KvReader}. Cheap to create when
 * given a shared {@link ClusterCodec} (making a codec is not cheap): it keeps no copy and decodes
 * on every call, so it always shows what the reader shows (including a command's own buffered
 * writes when the reader is a {@code KvWriter}).
 *
 * <p>Key layout (values are {@link ClusterCodec} JSON, UTF-8):
 * <pre>
 *   cluster          {@link ClusterInfo}, present once the cluster is initialised
 *   secrets          {@link ClusterSecrets}; a key of its own so that no view of the cluster
 *                    carries secrets by accident
 *   jointoken        the current {@link JoinToken}; older generations are simply overwritten
 *   node/&lt;id&gt;        {@link NodeRecord}; {@code diskRoles} holds only roles other than NONE
 *   location/&lt;id&gt;    {@link Location}
 *   policy/&lt;name&gt;    {@link StoragePolicy}
 *   cs/&lt;node&gt;/&lt;disk&gt;  {@link ChunkServiceInfo}
 *   release/&lt;node&gt;   {@link NodeRelease} while the node's data is moved away
 *   volume/&lt;id&gt;      {@link Volume}; snapshots too, marked by {@code snapshotOf}
 *   compute          {@link ComputeCluster}, present once the compute cluster is created
 *   flavor/&lt;name&gt;    {@link Flavor}
 *   vm/&lt;id&gt;          {@link Vm}
 *   image/&lt;id&gt;       {@link Image}; its data lives in an ordinary volume and that volume's snapshot
 *   vmsnapshot/&lt;id&gt;  {@link VmSnapshot}; its volume snapshots are ordinary snapshot records
 *   vmsnapreq/&lt;vm&gt;   {@link VmSnapshotRequest}, the one snapshot a VM's host is asked to take
 *   vmstate/&lt;vm&gt;     {@link VmSavedState}, the saved machine state of a suspended (or suspending) VM
 *   ha/status        {@link HaStatusRecord}, the HA manager's status (ADR 0029)
 *   ha/report/&lt;node&gt; {@link HaReports}, that node's latest HA report per resource
 *   ha/events        {@link HaEventLog}, the newest cluster events
 *   ha/start/&lt;vm&gt;   count of explicit starts of the VM (the HA start request)
 *   ha/settings      {@link HaSettings}, the cluster's HA settings (ADR 0030); defaults when absent
 *   ha/mode/&lt;node&gt;   {@link HaNodeMode}, a node in maintenance or shutting down; absent when active
 *   ha/vip           {@link ClusterVip}, the management virtual IP (ADR 0031)
 *   ha/vip-start     count of times the VIP was set (its HA start request)
 *   iscsi/...        iSCSI target groups, see {@link IscsiState}
 *   s3/...           the S3 cluster, users, access keys and buckets, see {@link S3State}
 *   chunk/&lt;volume&gt;/&lt;index as 16 hex digits&gt;  {@link ChunkRecord}; fixed width so a scan is in index order.
 *                    A snapshot's map sits under its own id; entries may share chunk copies
 * </pre>
 * There are no secondary indexes (by name, by rack): clusters have at most hundreds of nodes and
 * locations, and every index would be one more thing a command could leave inconsistent. Ids
 * never contain '/' (see {@link Names#validateId}), so prefixes cannot collide.
 *
 * <p>A value that does not decode means the store is corrupt; reads then throw
 * {@link IllegalArgumentException} naming the key.
 */
public final class ClusterState {
    public static final String CLUSTER_KEY = "cluster";
    public static final String SECRETS_KEY = "secrets";
    public static final String JOIN_TOKEN_KEY = "jointoken";
    public static final String NODE_PREFIX = "node/";
    public static final String LOCATION_PREFIX = "location/";
    public static final String POLICY_PREFIX = "policy/";
    public static final String CHUNK_SERVICE_PREFIX = "cs/";
    public static final String VOLUME_PREFIX = "volume/";
    public static final String CHUNK_PREFIX = "chunk/";
    public static final String RELEASE_PREFIX = "release/";
    public static final String COMPUTE_KEY = "compute";
    public static final String FLAVOR_PREFIX = "flavor/";
    public static final String NETWORK_PREFIX = "network/";
    public static final String VM_PREFIX = "vm/";
    public static final String IMAGE_PREFIX = "image/";
    public static final String VM_SNAPSHOT_PREFIX = "vmsnapshot/";
    public static final String VM_SNAPSHOT_REQUEST_PREFIX = "vmsnapreq/";
    public static final String VM_SAVED_STATE_PREFIX = "vmstate/";
    public static final String HA_STATUS_KEY = "ha/status";
    public static final String HA_REPORT_PREFIX = "ha/report/";
    public static final String HA_EVENTS_KEY = "ha/events";
    public static final String HA_START_PREFIX = "ha/start/";
    public static final String HA_SETTINGS_KEY = "ha/settings";
    public static final String HA_MODE_PREFIX = "ha/mode/";
    public static final String HA_VIP_KEY = "ha/vip";
    public static final String HA_VIP_START_KEY = "ha/vip-start";

    private static final Comparator<NodeRecord> BY_NAME =
            Comparator.comparing(NodeRecord::name).thenComparing(NodeRecord::id);
    private static final Comparator<NodeRecord> BY_JOIN_ORDER =
            Comparator.comparing(NodeRecord::joinedAt).thenComparing(NodeRecord::id);

    private final KvReader kv;
    private final ClusterCodec codec;

    public ClusterState(KvReader kv, ClusterCodec codec) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** With a codec of its own: for tests and one-off reads; anything called often passes a shared one. */
    public ClusterState(KvReader kv) {
        this(kv, new ClusterCodec());
    }

    static String nodeKey(String id) {
        return NODE_PREFIX + id;
    }

    static String policyKey(String name) {
        return POLICY_PREFIX + name;
    }

    static String chunkServiceKey(String nodeId, String diskId) {
        return CHUNK_SERVICE_PREFIX + nodeId + "/" + diskId;
    }

    static String volumeKey(String id) {
        return VOLUME_PREFIX + id;
    }

    static String chunkPrefix(String volumeId) {
        return CHUNK_PREFIX + volumeId + "/";
    }

    static String chunkKey(String volumeId, long index) {
        return chunkPrefix(volumeId) + HexFormat.of().toHexDigits(index);
    }

    static String networkKey(String name) {
        return NETWORK_PREFIX + name;
    }

    static String flavorKey(String name) {
        return FLAVOR_PREFIX + name;
    }

    static String imageKey(String id) {
        return IMAGE_PREFIX + id;
    }

    static String releaseKey(String nodeId) {
        return RELEASE_PREFIX + nodeId;
    }

    public Optional<NodeRelease> release(String nodeId) {
        return load(releaseKey(nodeId), NodeRelease.class);
    }

    public boolean releasing(String nodeId) {
        return kv.get(releaseKey(nodeId)).isPresent();
    }

    /** Registered chunk services, in node then disk id order. */
    public List<ChunkServiceInfo> chunkServices() {
        return List.copyOf(scan(CHUNK_SERVICE_PREFIX, ChunkServiceInfo.class));
    }

    public Optional<ChunkServiceInfo> chunkService(String nodeId, String diskId) {
        return load(chunkServiceKey(nodeId, diskId), ChunkServiceInfo.class);
    }

    /** All ordinary volumes (snapshots excluded), in id order. */
    public List<Volume> volumes() {
        return allVolumeRecords().stream().filter(v -> !v.isSnapshot()).toList();
    }

    /**
     * Every volume record, snapshots included, in id order: for callers that look after chunk maps
     * (healing, garbage collection), which must treat a snapshot's map like any other.
     */
    public List<Volume> allVolumeRecords() {
        return List.copyOf(scan(VOLUME_PREFIX, Volume.class));
    }

    /** The snapshots of volume {@code volumeId}, oldest first (then by id, so the order is total). */
    public List<Volume> snapshots(String volumeId) {
        Objects.requireNonNull(volumeId, "volumeId");
        return allVolumeRecords().stream().filter(v -> volumeId.equals(v.snapshotOf()))
                .sorted(Comparator.comparing(Volume::createdAt).thenComparing(Volume::id)).toList();
    }

    /** The snapshot of {@code volumeId} with id {@code s}, else the one named {@code s}. */
    public Optional<Volume> snapshotByIdOrName(String volumeId, String s) {
        Objects.requireNonNull(s, "s");
        List<Volume> all = snapshots(volumeId);
        Optional<Volume> byId = all.stream().filter(v -> v.id().equals(s)).findFirst();
        return byId.isPresent() ? byId : all.stream().filter(v -> v.name().equals(s)).findFirst();
    }

    /** The volume record with this id: an ordinary volume or a snapshot (see {@link Volume#isSnapshot()}). */
    public Optional<Volume> volume(String id) {
        Objects.requireNonNull(id, "id");
        return load(volumeKey(id), Volume.class);
    }

    /** The ordinary volume with id {@code s}, else the one named {@code s} (names are unique). */
    public Optional<Volume> volumeByIdOrName(String s) {
        Objects.requireNonNull(s, "s");
        Optional<Volume> byId = volume(s).filter(v -> !v.isSnapshot());
        return byId.isPresent() ? byId : volumes().stream().filter(v -> v.name().equals(s)).findFirst();
    }

    /** Every chunk map entry of every volume and snapshot, in volume id then index order. */
    public List<ChunkRecord> allChunkRecords() {
        return List.copyOf(scan(CHUNK_PREFIX, ChunkRecord.class));
    }

    /** The volume's allocated chunks, in index order. */
    public List<ChunkRecord> chunks(String volumeId) {
        return List.copyOf(scan(chunkPrefix(volumeId), ChunkRecord.class));
    }

    public Optional<ChunkRecord> chunk(String volumeId, long index) {
        return load(chunkKey(volumeId, index), ChunkRecord.class);
    }

    /** Storage policies, in name order. */
    public List<StoragePolicy> policies() {
        return List.copyOf(scan(POLICY_PREFIX, StoragePolicy.class));
    }

    public Optional<StoragePolicy> policy(String name) {
        return load(policyKey(name), StoragePolicy.class);
    }

    public Optional<ComputeCluster> computeCluster() {
        return load(COMPUTE_KEY, ComputeCluster.class);
    }

    /** The compute cluster's nodes, sorted by name; empty when there is no compute cluster. */
    public List<NodeRecord> computeNodes() {
        return computeCluster().map(c -> nodes().stream().filter(n -> c.contains(n.id())).toList())
                .orElse(List.of());
    }

    /** Flavors, in name order. */
    /** Virtual networks, in name order. */
    public List<Network> networks() {
        List<Network> n = scan(NETWORK_PREFIX, Network.class);
        n.sort(Comparator.comparing(Network::name));
        return List.copyOf(n);
    }

    public Optional<Network> network(String name) {
        Objects.requireNonNull(name, "name");
        return load(networkKey(name), Network.class);
    }

    public List<Flavor> flavors() {
        return List.copyOf(scan(FLAVOR_PREFIX, Flavor.class));
    }

    public Optional<Flavor> flavor(String name) {
        Objects.requireNonNull(name, "name");
        return load(flavorKey(name), Flavor.class);
    }

    /** VMs, in name order. */
    public List<Vm> vms() {
        List<Vm> vms = scan(VM_PREFIX, Vm.class);
        vms.sort(Comparator.comparing(Vm::name));
        return List.copyOf(vms);
    }

    public Optional<Vm> vm(String id) {
        Objects.requireNonNull(id, "id");
        return load(vmKey(id), Vm.class);
    }

    /** The VM with id {@code s}, else the VM named {@code s}. */
    public Optional<Vm> vmByIdOrName(String s) {
        Objects.requireNonNull(s, "s");
        Optional<Vm> byId = Names.validateId("VM id", s).isEmpty() ? vm(s) : Optional.empty();
        return byId.isPresent() ? byId : vms().stream().filter(v -> v.name().equals(s)).findFirst();
    }

    /** VMs placed on {@code nodeId}, whatever their state: each holds its share of the node. */
    public List<Vm> vmsOn(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return vms().stream().filter(v -> v.nodeId().equals(nodeId)).toList();
    }

    static String vmKey(String id) {
        return VM_PREFIX + id;
    }

    /** Images, in id order. */
    public List<Image> images() {
        return List.copyOf(scan(IMAGE_PREFIX, Image.class));
    }

    public Optional<Image> image(String id) {
        Objects.requireNonNull(id, "id");
        return load(imageKey(id), Image.class);
    }

    /** The image with id {@code s}, else the one named {@code s} (names are unique). */
    public Optional<Image> imageByIdOrName(String s) {
        Objects.requireNonNull(s, "s");
        Optional<Image> byId = image(s);
        return byId.isPresent() ? byId : images().stream().filter(i -> i.name().equals(s)).findFirst();
    }

    static String vmSnapshotKey(String id) {
        return VM_SNAPSHOT_PREFIX + id;
    }

    static String vmSnapshotRequestKey(String vmId) {
        return VM_SNAPSHOT_REQUEST_PREFIX + vmId;
    }

    public Optional<VmSnapshot> vmSnapshot(String id) {
        Objects.requireNonNull(id, "id");
        return load(vmSnapshotKey(id), VmSnapshot.class);
    }

    /** Every VM snapshot, in id order. */
    public List<VmSnapshot> allVmSnapshots() {
        return List.copyOf(scan(VM_SNAPSHOT_PREFIX, VmSnapshot.class));
    }

    /** The snapshots of VM {@code vmId}, oldest first (then by id, so the order is total). */
    public List<VmSnapshot> vmSnapshots(String vmId) {
        Objects.requireNonNull(vmId, "vmId");
        return allVmSnapshots().stream().filter(s -> s.vmId().equals(vmId))
                .sorted(Comparator.comparing(VmSnapshot::createdAt).thenComparing(VmSnapshot::id)).toList();
    }

    /** The snapshot of {@code vmId} with id {@code s}, else the one named {@code s}. */
    public Optional<VmSnapshot> vmSnapshotByIdOrName(String vmId, String s) {
        Objects.requireNonNull(s, "s");
        List<VmSnapshot> all = vmSnapshots(vmId);
        Optional<VmSnapshot> byId = all.stream().filter(x -> x.id().equals(s)).findFirst();
        return byId.isPresent() ? byId : all.stream().filter(x -> x.name().equals(s)).findFirst();
    }

    /** The VM snapshot that volume snapshot {@code volumeSnapshotId} is part of, if any. */
    public Optional<VmSnapshot> vmSnapshotOwning(String volumeSnapshotId) {
        Objects.requireNonNull(volumeSnapshotId, "volumeSnapshotId");
        return allVmSnapshots().stream().filter(s -> s.owns(volumeSnapshotId)).findFirst();
    }

    public Optional<VmSnapshotRequest> vmSnapshotRequest(String vmId) {
        Objects.requireNonNull(vmId, "vmId");
        return load(vmSnapshotRequestKey(vmId), VmSnapshotRequest.class);
    }

    static String vmSavedStateKey(String vmId) {
        return VM_SAVED_STATE_PREFIX + vmId;
    }

    /** The saved state of a suspended VM, or of one being suspended (ADR 0021). */
    public Optional<VmSavedState> vmSavedState(String vmId) {
        Objects.requireNonNull(vmId, "vmId");
        return load(vmSavedStateKey(vmId), VmSavedState.class);
    }

    /** Every saved VM state, in VM id order. */
    public List<VmSavedState> vmSavedStates() {
        return List.copyOf(scan(VM_SAVED_STATE_PREFIX, VmSavedState.class));
    }

    static String locationKey(String id) {
        return LOCATION_PREFIX + id;
    }

    public boolean initialised() {
        return kv.get(CLUSTER_KEY).isPresent();
    }

    public Optional<ClusterInfo> cluster() {
        return load(CLUSTER_KEY, ClusterInfo.class);
    }

    public Optional<ClusterSecrets> secrets() {
        return load(SECRETS_KEY, ClusterSecrets.class);
    }

    public Optional<JoinToken> joinToken() {
        return load(JOIN_TOKEN_KEY, JoinToken.class);
    }

    /** All nodes, sorted by name (then id, so the order is total). */
    public List<NodeRecord> nodes() {
        List<NodeRecord> nodes = scan(NODE_PREFIX, NodeRecord.class);
        nodes.sort(BY_NAME);
        return List.copyOf(nodes);
    }

    public Optional<NodeRecord> node(String id) {
        Objects.requireNonNull(id, "id");
        return load(nodeKey(id), NodeRecord.class);
    }

    /**
     * The node with id {@code s}, else the node named {@code s}. Names compare without regard to
     * case because they are host names, and the logic keeps them unique that way.
     */
    public Optional<NodeRecord> nodeByIdOrName(String s) {
        Objects.requireNonNull(s, "s");
        Optional<NodeRecord> byId = node(s);
        if (byId.isPresent()) {
            return byId;
        }
        return nodes().stream().filter(n -> n.name().equalsIgnoreCase(s)).findFirst();
    }

    /** Nodes running a metadata service, oldest member first: the order Raft membership grew in. */
    public List<NodeRecord> metadataNodes() {
        List<NodeRecord> nodes = new ArrayList<>(scan(NODE_PREFIX, NodeRecord.class));
        nodes.removeIf(n -> !n.hasMetadataRole());
        nodes.sort(BY_JOIN_ORDER);
        return List.copyOf(nodes);
    }

    /** Nodes whose rack is {@code rackId}, sorted by name. */
    public List<NodeRecord> nodesInRack(String rackId) {
        Objects.requireNonNull(rackId, "rackId");
        return nodes().stream().filter(n -> n.rackId().equals(rackId)).toList();
    }

    /** All locations, in id order. */
    public List<Location> locations() {
        return List.copyOf(scan(LOCATION_PREFIX, Location.class));
    }

    public Optional<Location> location(String id) {
        Objects.requireNonNull(id, "id");
        return load(locationKey(id), Location.class);
    }

    /** The locations directly under {@code parentId}; a null parent gives the rooms. In id order. */
    public List<Location> children(String parentId) {
        return locations().stream().filter(l -> Objects.equals(l.parentId(), parentId)).toList();
    }

    public IscsiState iscsi() {
        return new IscsiState(this);
    }

    /** The S3 control plane (ADR 0039). */
    public S3State s3() {
        return new S3State(this);
    }

    /** The management virtual IP, when one is set (ADR 0031). */
    public Optional<ClusterVip> vip() {
        return load(HA_VIP_KEY, ClusterVip.class);
    }

    public Optional<HaStatusRecord> haStatus() {
        return load(HA_STATUS_KEY, HaStatusRecord.class);
    }

    public List<HaReports> haReports() {
        return List.copyOf(scan(HA_REPORT_PREFIX, HaReports.class));
    }

    public Optional<HaReports> haReports(String nodeId) {
        return load(haReportKey(nodeId), HaReports.class);
    }

    public HaEventLog haEvents() {
        return load(HA_EVENTS_KEY, HaEventLog.class).orElseGet(HaEventLog::empty);
    }

    /** How many explicit starts the VM has had: the HA engine's start request. */
    public long haStartRequests(String vmId) {
        return load(haStartKey(vmId), Long.class).orElse(0L);
    }

    /** How many times the virtual IP was set: its start request, so setting it again clears an error. */
    public long vipStartRequests() {
        return load(HA_VIP_START_KEY, Long.class).orElse(0L);
    }

    public HaSettings haSettings() {
        return load(HA_SETTINGS_KEY, HaSettings.class).orElse(HaSettings.DEFAULTS);
    }

    public Optional<HaNodeMode> haNodeMode(String nodeId) {
        return load(haModeKey(nodeId), HaNodeMode.class);
    }

    /** The node's HA mode: active unless it is in maintenance or shutting down. */
    public io.keel.ha.NodeMode nodeMode(String nodeId) {
        return haNodeMode(nodeId).map(HaNodeMode::mode).orElse(io.keel.ha.NodeMode.ACTIVE);
    }

    static String haModeKey(String nodeId) {
        return HA_MODE_PREFIX + nodeId;
    }

    static String haReportKey(String nodeId) {
        return HA_REPORT_PREFIX + nodeId;
    }

    static String haStartKey(String vmId) {
        return HA_START_PREFIX + vmId;
    }

    <T> Optional<T> load(String key, Class<T> type) {
        return kv.get(key).map(bytes -> decode(key, bytes, type));
    }

    <T> List<T> scan(String prefix, Class<T> type) {
        List<T> values = new ArrayList<>();
        kv.scan(prefix).forEach((key, bytes) -> values.add(decode(key, bytes, type)));
        return values;
    }

    private <T> T decode(String key, byte[] bytes, Class<T> type) {
        try {
            return codec.readRecord(bytes, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored value at key '" + key + "' is corrupt: " + e.getMessage(), e);
        }
    }
}
