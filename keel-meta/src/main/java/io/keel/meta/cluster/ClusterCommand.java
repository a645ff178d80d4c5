package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every change of cluster state is one of these, replicated through Raft and applied by
 * {@link ClusterLogic}. Times and generated ids travel inside the command so that applying it is
 * deterministic on every replica.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClusterCommand.InitCluster.class, name = "InitCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.RegisterNode.class, name = "RegisterNode"),
    @JsonSubTypes.Type(value = ClusterCommand.RotateJoinToken.class, name = "RotateJoinToken"),
    @JsonSubTypes.Type(value = ClusterCommand.UpdateInventory.class, name = "UpdateInventory"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateStorageCluster.class, name = "CreateStorageCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.JoinStorageCluster.class, name = "JoinStorageCluster"),
    @JsonSubTypes.Type(value = ClusterCommand.AssignDiskRole.class, name = "AssignDiskRole"),
    @JsonSubTypes.Type(value = ClusterCommand.CreateLocation.class, name = "CreateLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.RenameLocation.class, name = "RenameLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.DeleteLocation.class, name = "DeleteLocation"),
    @JsonSubTypes.Type(value = ClusterCommand.MoveNode.class, name = "MoveNode"),
    @JsonSubTypes.Type(value = ClusterCommand.SetMaintenance.class, name = "SetMaintenance"),
    @JsonSubTypes.Type(value = ClusterCommand.CreatePolicy.class, name = "CreatePolicy"),
    @JsonSubTypes.Type(value = ClusterCommand.DeletePolicy.class, name = "DeletePolicy"),
})
public sealed interface ClusterCommand {

    /** First command of a new cluster, submitted by the bootstrapping node to its own group. */
    record InitCluster(
            String clusterId,
            Instant at,
            ClusterSecrets secrets,
            JoinToken joinToken,
            NodeRecord firstNode) implements ClusterCommand {}

    /** A node joins with {@code presentedToken}; refused unless it is the current unexpired token. */
    record RegisterNode(String presentedToken, Instant at, NodeRecord node) implements ClusterCommand {}

    /** Replaces the join token; the old one stops working at once. */
    record RotateJoinToken(JoinToken token) implements ClusterCommand {}

    record UpdateInventory(String nodeId, Inventory inventory) implements ClusterCommand {}

    /**
     * Creates the storage cluster over {@code nodeIds} with the given disk roles per node
     * (node id, then disk id, then role). The API layer fills in automatic roles before submitting.
     */
    record CreateStorageCluster(
            String name,
            Instant at,
            boolean encryption,
            List<String> nodeIds,
            Map<String, Map<String, DiskRole>> roles) implements ClusterCommand {}

    /** Adds an Unassigned node to the storage cluster with the given disk roles. */
    record JoinStorageCluster(String nodeId, Map<String, DiskRole> roles) implements ClusterCommand {}

    record AssignDiskRole(String nodeId, String diskId, DiskRole role) implements ClusterCommand {}

    record CreateLocation(String id, Location.Type locationType, String name, String parentId)
            implements ClusterCommand {}

    record RenameLocation(String id, String name) implements ClusterCommand {}

    record DeleteLocation(String id) implements ClusterCommand {}

    record MoveNode(String nodeId, String rackId) implements ClusterCommand {}

    record SetMaintenance(String nodeId, boolean maintenance) implements ClusterCommand {}

    /** Refused unless the cluster can place the policy's pieces on distinct failure domains now. */
    record CreatePolicy(StoragePolicy policy) implements ClusterCommand {}

    record DeletePolicy(String name) implements ClusterCommand {}
}
