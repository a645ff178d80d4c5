package io.keel.api;

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
import io.keel.api.dto.MoveNodeRequest;
import io.keel.api.dto.NodeView;
import io.keel.api.dto.PolicyView;
import io.keel.api.dto.RenameLocationRequest;
import io.keel.api.dto.RotateTokenRequest;
import io.keel.meta.cluster.ClusterSecrets;
import java.util.List;
import java.util.Optional;

/**
 * What the REST API can ask of the cluster. The node implements it over the metadata service;
 * every method either returns or throws {@link ApiException} with the reason, and a method that
 * throws has changed nothing. Nodes and disks are named by id or by name.
 */
public interface ClusterService {
    ClusterView cluster();

    ClusterView createStorageCluster(CreateClusterRequest request);

    List<NodeView> nodes();

    NodeView node(String node);

    NodeView joinStorageCluster(String node, JoinClusterRequest request);

    /** All disks, or only those of {@code node} when it is not null. */
    List<DiskView> disks(String node);

    DiskView assignDiskRole(String node, String disk, DiskRoleRequest request);

    JoinTokenView joinToken();

    JoinTokenView rotateJoinToken(RotateTokenRequest request);

    List<LocationView> locations();

    LocationView createLocation(CreateLocationRequest request);

    LocationView renameLocation(String id, RenameLocationRequest request);

    void deleteLocation(String id);

    NodeView moveNode(String node, MoveNodeRequest request);

    /**
     * Starts moving the node's data away so it can leave: no new chunks go to it. Refused (409)
     * when it is already being released or when the rest of the cluster could not keep the
     * redundancy of every policy volumes use.
     */
    NodeView releaseNode(String node);

    /** Stops a release; data already moved stays where it is. 404 when the node is not being released. */
    NodeView cancelRelease(String node);

    List<PolicyView> policies();

    PolicyView policy(String name);

    /** Refused with the reason when the cluster cannot place the policy's pieces now. */
    PolicyView createPolicy(CreatePolicyRequest request);

    void deletePolicy(String name);

    /** Empty until the cluster is bootstrapped. */
    Optional<ClusterSecrets> secrets();

    /** Node-to-node: a new node presents a join token. Unauthenticated except by the token. */
    JoinResponse join(JoinRequest request);

    /** Node-to-node: true when {@code secret} is the credential of node {@code nodeId}. */
    boolean verifyNodeSecret(String nodeId, String secret);

    void heartbeat(HeartbeatRequest request);

    /** The newest cluster events (at most {@code limit}, newest last); null: all that are kept. */
    io.keel.api.dto.ClusterEventsView events(Integer limit);

    /** The management virtual IP and where it runs (ADR 0031). */
    default io.keel.api.dto.ClusterVipView vip() {
        throw new ApiException(503, "unavailable", "the virtual IP is not served by this node");
    }

    /** Sets (or changes) the management virtual IP; invalid input changes nothing. */
    default io.keel.api.dto.ClusterVipView setVip(io.keel.api.dto.SetClusterVipRequest request) {
        throw new ApiException(503, "unavailable", "the virtual IP is not served by this node");
    }

    /** Removes the management virtual IP from the cluster (and so from its node). */
    default void clearVip() {
        throw new ApiException(503, "unavailable", "the virtual IP is not served by this node");
    }
}
