package io.keel.api;

import io.keel.api.dto.ClusterView;
import io.keel.api.dto.CreateClusterRequest;
import io.keel.api.dto.CreateLocationRequest;
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
import io.keel.api.dto.RenameLocationRequest;
import io.keel.api.dto.RotateTokenRequest;
import io.keel.meta.cluster.ClusterSecrets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory stand-in: fixed answers, records what it was asked, fails on demand. */
final class FakeClusterService implements ClusterService {
    static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    volatile ClusterSecrets secrets;
    /** When set, every cluster-state call throws it. */
    volatile RuntimeException failure;
    final Map<String, String> nodeSecrets = new ConcurrentHashMap<>();
    final List<Object> calls = new CopyOnWriteArrayList<>();

    private <T> T answer(Object call, T result) {
        calls.add(call);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return result;
    }

    static ClusterView clusterView() {
        MetadataView meta = new MetadataView(
                List.of(new MetadataMemberView("n1", "node-1", "10.0.0.1", 9872, true)), "n1", 3, 42, 1, 1, true);
        return new ClusterView("c1", null, T0, null, false, "n1", 1, meta);
    }

    static NodeView nodeView(String id) {
        return new NodeView(id, "node-" + id, "10.0.0.1", 8443, "HEALTHY", true, false, List.of("storage"),
                null, 120L, T0, null, null);
    }

    static DiskView diskView(String node, String disk) {
        return new DiskView(node, "node-" + node, disk, "block", "/dev/" + disk, 1L << 40, false, "m", "s", false,
                "storage", 1, true, false);
    }

    @Override
    public ClusterView cluster() {
        return answer("cluster", clusterView());
    }

    @Override
    public ClusterView createStorageCluster(CreateClusterRequest request) {
        return answer(request, clusterView());
    }

    @Override
    public List<NodeView> nodes() {
        return answer("nodes", List.of(nodeView("n1")));
    }

    @Override
    public NodeView node(String node) {
        return answer("node " + node, nodeView(node));
    }

    @Override
    public NodeView joinStorageCluster(String node, JoinClusterRequest request) {
        return answer(request, nodeView(node));
    }

    @Override
    public io.keel.api.dto.ClusterEventsView events(Integer limit) {
        return answer("events " + limit, new io.keel.api.dto.ClusterEventsView(List.of()));
    }

    @Override
    public List<DiskView> disks(String node) {
        return answer("disks " + node, List.of(diskView(node == null ? "n1" : node, "sda")));
    }

    @Override
    public DiskView assignDiskRole(String node, String disk, DiskRoleRequest request) {
        return answer(request, diskView(node, disk));
    }

    @Override
    public JoinTokenView joinToken() {
        return answer("joinToken", new JoinTokenView("jt", 1, T0, "10.0.0.1:8443"));
    }

    @Override
    public JoinTokenView rotateJoinToken(RotateTokenRequest request) {
        return answer(request, new JoinTokenView("jt2", 2, T0, "10.0.0.1:8443"));
    }

    @Override
    public List<LocationView> locations() {
        return answer("locations", List.of(new LocationView("r1", "room", "Room 1", null, null)));
    }

    @Override
    public LocationView createLocation(CreateLocationRequest request) {
        return answer(request, new LocationView("x1", request.type(), request.name(), request.parent(), null));
    }

    @Override
    public LocationView renameLocation(String id, RenameLocationRequest request) {
        return answer(request, new LocationView(id, "room", request.name(), null, null));
    }

    @Override
    public void deleteLocation(String id) {
        answer("delete " + id, null);
    }

    @Override
    public List<io.keel.api.dto.PolicyView> policies() {
        return answer("policies", List.of(policyView("triple")));
    }

    @Override
    public io.keel.api.dto.PolicyView policy(String name) {
        return answer("policy " + name, policyView(name));
    }

    @Override
    public io.keel.api.dto.PolicyView createPolicy(io.keel.api.dto.CreatePolicyRequest request) {
        return answer(request, policyView(request.name()));
    }

    @Override
    public void deletePolicy(String name) {
        answer("deletePolicy " + name, null);
    }

    private static io.keel.api.dto.PolicyView policyView(String name) {
        return new io.keel.api.dto.PolicyView(name, 0, "host", 3, "3 replicas", 3.0, 3, true);
    }

    @Override
    public NodeView moveNode(String node, MoveNodeRequest request) {
        return answer(request, nodeView(node));
    }

    @Override
    public NodeView releaseNode(String node) {
        NodeView n = nodeView(node);
        return answer("release " + node, new NodeView(n.id(), n.name(), n.address(), n.apiPort(), n.status(),
                n.inCluster(), n.maintenance(), n.roles(), n.location(), n.heartbeatAgeMs(), n.joinedAt(),
                n.inventory(), "draining since " + T0));
    }

    @Override
    public NodeView cancelRelease(String node) {
        return answer("cancelRelease " + node, nodeView(node));
    }

    @Override
    public Optional<ClusterSecrets> secrets() {
        return Optional.ofNullable(secrets);
    }

    @Override
    public JoinResponse join(JoinRequest request) {
        if (!"good-join-token".equals(request.token())) {
            throw new ApiException(401, "unauthorized", "invalid join token");
        }
        return answer(request, new JoinResponse("c1", "n2", "node-secret", "g1",
                List.of(new PeerView("n1", "10.0.0.1", 8443, 9872))));
    }

    @Override
    public boolean verifyNodeSecret(String nodeId, String secret) {
        return secret.equals(nodeSecrets.get(nodeId));
    }

    @Override
    public void heartbeat(HeartbeatRequest request) {
        answer(request, null);
    }
}
