package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.ClusterService;
import io.keel.api.dto.ClusterView;
import io.keel.api.dto.CreateClusterRequest;
import io.keel.api.dto.CreateLocationRequest;
import io.keel.api.dto.CreatePolicyRequest;
import io.keel.api.dto.DiskRoleRequest;
import io.keel.api.dto.DiskView;
import io.keel.api.dto.HeartbeatRequest;
import io.keel.api.dto.JoinClusterRequest;
import io.keel.api.dto.JoinRequest;
import io.keel.api.dto.JoinResponse;
import io.keel.api.dto.JoinTokenView;
import io.keel.api.dto.LocationView;
import io.keel.api.dto.MetadataMemberView;
import io.keel.api.dto.MetadataView;
import io.keel.api.dto.MoveNodeRequest;
import io.keel.api.dto.NodeView;
import io.keel.api.dto.PeerView;
import io.keel.api.dto.PolicyView;
import io.keel.api.dto.RenameLocationRequest;
import io.keel.api.dto.RotateTokenRequest;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterInfo;
import io.keel.meta.cluster.ClusterSecrets;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.JoinToken;
import io.keel.meta.cluster.JoinTokens;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.Peer;
import io.keel.meta.raft.RaftStatus;
import io.keel.node.health.HeartbeatMonitor;
import io.keel.node.membership.MetadataHost;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The REST API's view of the cluster, over the metadata service. */
public final class ClusterServiceImpl implements ClusterService {
    private static final Duration MIN_TOKEN_TTL = Duration.ofMinutes(1);
    private static final Duration MAX_TOKEN_TTL = Duration.ofDays(30);

    private final MetaGateway meta;
    private final MetadataHost host;
    private final HeartbeatMonitor monitor;
    private final Views views;
    private final NodeJoins joins;
    private final Clock clock;
    private final Credentials credentials;
    private final Duration detectionTime;

    public ClusterServiceImpl(MetaGateway meta, MetadataHost host, HeartbeatMonitor monitor,
            Duration detectionTime, NodeJoins joins, Credentials credentials, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.host = Objects.requireNonNull(host, "host");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.detectionTime = Objects.requireNonNull(detectionTime, "detectionTime");
        this.views = new Views(monitor, detectionTime);
        this.joins = Objects.requireNonNull(joins, "joins");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ClusterView cluster() {
        ClusterState state = meta.state();
        ClusterInfo info = initialised(state);
        Optional<RaftStatus> raft = host.server().map(MetadataServer::status);
        List<MetadataMemberView> members = new ArrayList<>();
        for (Peer p : meta.members()) {
            String name = state.node(p.id()).map(NodeRecord::name).orElse(p.id());
            members.add(new MetadataMemberView(p.id(), name, p.host(), p.port(), monitor.alive(p.id(), detectionTime)));
        }
        MetaGateway.Quorum q = meta.quorum();
        MetadataView metadata = new MetadataView(members,
                raft.map(RaftStatus::leaderId).orElse(null),
                raft.map(RaftStatus::term).orElse(0L),
                raft.map(RaftStatus::commitIndex).orElse(0L),
                q.up(), q.total(), q.hasMajority());
        return new ClusterView(info.id(), info.storageClusterName(), info.createdAt(),
                info.storageClusterCreatedAt(), info.encryption(), info.managementNodeId(),
                state.nodes().size(), metadata);
    }

    @Override
    public ClusterView createStorageCluster(CreateClusterRequest request) {
        if (request == null || request.name() == null) {
            throw ApiException.invalid("a storage cluster needs a name");
        }
        Validation.clusterName(request.name());
        ClusterState state = meta.state();
        ClusterInfo info = initialised(state);
        if (info.hasStorageCluster()) {
            throw ApiException.conflict("storage cluster " + info.storageClusterName() + " already exists");
        }
        List<NodeRecord> chosen;
        if (request.nodes() == null || request.nodes().isEmpty()) {
            chosen = state.nodes().stream()
                    .filter(n -> !n.inCluster() && "UNASSIGNED".equals(views.status(n)))
                    .toList();
            if (chosen.isEmpty()) {
                throw ApiException.invalid("no healthy unassigned node to create the storage cluster on");
            }
        } else {
            chosen = request.nodes().stream().map(n -> resolve(state, n)).toList();
        }
        int metadata = (int) state.nodes().stream().filter(NodeRecord::hasMetadataRole).count();
        Map<String, Map<String, DiskRole>> roles = new LinkedHashMap<>();
        for (NodeRecord n : chosen) {
            Map<String, DiskRole> r = RoleAssigner.assign(n, metadata);
            if (r.values().stream().anyMatch(DiskRole::isMetadata)) metadata++;
            roles.put(n.id(), r);
        }
        meta.submit(new ClusterCommand.CreateStorageCluster(request.name(), clock.instant(),
                Boolean.TRUE.equals(request.encryption()), chosen.stream().map(NodeRecord::id).toList(), roles));
        return cluster();
    }

    @Override
    public List<NodeView> nodes() {
        return views.nodes(meta.state());
    }

    @Override
    public NodeView node(String node) {
        ClusterState state = meta.state();
        return views.node(resolve(state, node), state);
    }

    @Override
    public NodeView joinStorageCluster(String node, JoinClusterRequest request) {
        ClusterState state = meta.state();
        NodeRecord n = resolve(state, node);
        Map<String, DiskRole> roles;
        if (request == null || request.roles() == null || request.roles().isEmpty()) {
            int metadata = (int) state.nodes().stream().filter(NodeRecord::hasMetadataRole).count();
            roles = RoleAssigner.assign(n, metadata);
        } else {
            roles = new HashMap<>();
            for (DiskRoleRequest r : request.roles()) {
                if (r.disk() == null) throw ApiException.invalid("every role needs the disk it applies to");
                if (roles.put(r.disk(), Roles.parse(r)) != null) {
                    throw ApiException.invalid("disk " + r.disk() + " is given two roles");
                }
            }
        }
        meta.submit(new ClusterCommand.JoinStorageCluster(n.id(), roles));
        return node(n.id());
    }

    @Override
    public List<DiskView> disks(String node) {
        ClusterState state = meta.state();
        if (node != null) {
            return views.disks(resolve(state, node));
        }
        return state.nodes().stream().flatMap(n -> views.disks(n).stream()).toList();
    }

    @Override
    public DiskView assignDiskRole(String node, String disk, DiskRoleRequest request) {
        ClusterState state = meta.state();
        NodeRecord n = resolve(state, node);
        DiskRole role = Roles.parse(request);
        meta.submit(new ClusterCommand.AssignDiskRole(n.id(), disk, role));
        NodeRecord after = meta.state().node(n.id()).orElseThrow();
        return after.inventory().disks().stream().filter(d -> d.id().equals(disk)).findFirst()
                .map(d -> views.disk(after, d))
                .orElseThrow(() -> ApiException.notFound("node " + n.name() + " has no disk " + disk));
    }

    @Override
    public JoinTokenView joinToken() {
        ClusterState state = meta.state();
        ClusterInfo info = initialised(state);
        JoinToken t = state.joinToken().orElseThrow(() -> ApiException.notFound("no join token issued"));
        return tokenView(state, info, t);
    }

    @Override
    public JoinTokenView rotateJoinToken(RotateTokenRequest request) {
        Duration ttl = request == null || request.ttlSeconds() == null
                ? JoinTokens.DEFAULT_TTL : Duration.ofSeconds(request.ttlSeconds());
        if (ttl.compareTo(MIN_TOKEN_TTL) < 0 || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw ApiException.invalid("a join token lives from 1 minute to 30 days, not " + ttl.toSeconds() + " s");
        }
        ClusterState state = meta.state();
        initialised(state);
        long generation = state.joinToken().map(JoinToken::generation).orElse(0L) + 1;
        meta.submit(new ClusterCommand.RotateJoinToken(
                JoinTokens.generate(credentials.random(), generation, clock.instant(), ttl)));
        return joinToken();
    }

    private JoinTokenView tokenView(ClusterState state, ClusterInfo info, JoinToken t) {
        String mgmt = state.node(info.managementNodeId())
                .map(n -> n.address() + ":" + n.apiPort()).orElse(null);
        return new JoinTokenView(t.token(), t.generation(), t.expiresAt(), mgmt);
    }

    @Override
    public List<LocationView> locations() {
        return views.locations(meta.state());
    }

    @Override
    public LocationView createLocation(CreateLocationRequest request) {
        if (request == null || request.type() == null || request.name() == null) {
            throw ApiException.invalid("a location needs a type (room, row or rack) and a name");
        }
        Location.Type type = switch (request.type().toLowerCase(Locale.ROOT)) {
            case "room" -> Location.Type.ROOM;
            case "row" -> Location.Type.ROW;
            case "rack" -> Location.Type.RACK;
            default -> throw ApiException.invalid("unknown location type '" + request.type() + "': use room, row or rack");
        };
        String id = type.name().toLowerCase(Locale.ROOT) + "-" + credentials.shortId();
        String created = meta.submit(new ClusterCommand.CreateLocation(id, type, request.name(), request.parent()));
        return location(created == null ? id : created);
    }

    @Override
    public LocationView renameLocation(String id, RenameLocationRequest request) {
        if (request == null || request.name() == null) throw ApiException.invalid("a new name is required");
        meta.submit(new ClusterCommand.RenameLocation(id, request.name()));
        return location(id);
    }

    private LocationView location(String id) {
        return locations().stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no location " + id));
    }

    @Override
    public void deleteLocation(String id) {
        meta.submit(new ClusterCommand.DeleteLocation(id));
    }

    @Override
    public NodeView moveNode(String node, MoveNodeRequest request) {
        if (request == null || request.rack() == null) throw ApiException.invalid("the rack to move into is required");
        NodeRecord n = resolve(meta.state(), node);
        meta.submit(new ClusterCommand.MoveNode(n.id(), request.rack()));
        return node(n.id());
    }

    @Override
    public NodeView releaseNode(String node) {
        NodeRecord n = resolve(meta.state(), node);
        meta.submit(new ClusterCommand.ReleaseNode(n.id(), clock.instant()));
        return node(n.id());
    }

    @Override
    public NodeView cancelRelease(String node) {
        NodeRecord n = resolve(meta.state(), node);
        meta.submit(new ClusterCommand.CancelRelease(n.id()));
        return node(n.id());
    }

    @Override
    public List<PolicyView> policies() {
        ClusterState state = meta.state();
        return state.policies().stream().map(p -> PolicyViews.view(state, p)).toList();
    }

    @Override
    public PolicyView policy(String name) {
        ClusterState state = meta.state();
        return state.policy(name).map(p -> PolicyViews.view(state, p))
                .orElseThrow(() -> ApiException.notFound("no storage policy '" + name + "'"));
    }

    @Override
    public PolicyView createPolicy(CreatePolicyRequest request) {
        StoragePolicy policy = PolicyViews.policy(request);
        meta.submit(new ClusterCommand.CreatePolicy(policy));
        return policy(policy.name());
    }

    @Override
    public void deletePolicy(String name) {
        meta.submit(new ClusterCommand.DeletePolicy(name));
    }

    @Override
    public Optional<ClusterSecrets> secrets() {
        return meta.state().secrets();
    }

    @Override
    public JoinResponse join(JoinRequest request) {
        return joins.join(request);
    }

    @Override
    public boolean verifyNodeSecret(String nodeId, String secret) {
        return credentials.verifyNode(nodeId, secret, id -> meta.state().node(id).map(NodeRecord::secretHash));
    }

    @Override
    public void heartbeat(HeartbeatRequest request) {
        monitor.heard(request.nodeId(), request.haActing() == null || request.haActing());
    }

    static ClusterInfo initialised(ClusterState state) {
        return state.cluster().orElseThrow(() -> new ApiException(503, "not_initialised",
                "this node is not part of an initialised cluster yet"));
    }

    static NodeRecord resolve(ClusterState state, String node) {
        if (node == null || node.isBlank()) throw ApiException.invalid("a node id or name is required");
        return state.nodeByIdOrName(node).orElseThrow(() -> ApiException.notFound("no node '" + node + "'"));
    }

    static List<PeerView> peerViews(ClusterState state, List<Peer> members) {
        return members.stream().map(p -> new PeerView(p.id(), p.host(),
                state.node(p.id()).map(NodeRecord::apiPort).orElse(0), p.port())).toList();
    }

    @Override
    public io.keel.api.dto.ClusterEventsView events(Integer limit) {
        if (limit != null && limit < 1) {
            throw ApiException.invalid("limit must be at least 1, not " + limit);
        }
        java.util.List<io.keel.meta.cluster.HaEventRecord> all = meta.state().haEvents().events();
        int from = limit == null ? 0 : Math.max(0, all.size() - limit);
        return new io.keel.api.dto.ClusterEventsView(all.subList(from, all.size()).stream()
                .map(e -> new io.keel.api.dto.ClusterEventView(e.seq(), e.at(), e.type(), e.text(), e.seconds()))
                .toList());
    }

    @Override
    public io.keel.api.dto.ClusterVipView vip() {
        return new ClusterVipApi(meta).get();
    }

    @Override
    public io.keel.api.dto.ClusterVipView setVip(io.keel.api.dto.SetClusterVipRequest request) {
        return new ClusterVipApi(meta).set(request);
    }

    @Override
    public void clearVip() {
        new ClusterVipApi(meta).clear();
    }
}
