package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateStorageCluster;
import io.keel.meta.cluster.ClusterCommand.JoinStorageCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The storage cluster: creating it, adding nodes to it, and the roles of their disks. */
final class StorageCommands {
    private final ClusterCodec codec;

    StorageCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateStorageCluster c) {
        ClusterInfo info = Checks.initialised(state);
        Checks.valid(Names.validateClusterName(c.name()));
        if (info.hasStorageCluster()) {
            throw Rejection.conflict("storage cluster " + Names.quote(info.storageClusterName())
                    + " already exists: add nodes to it instead of creating another");
        }
        Checks.required(c.at(), "creation time");
        Map<String, NodeRecord> members = Checks.distinctNodes(state, c.nodeIds(),
                "a storage cluster needs at least one node: list the nodes to create it on");
        Map<String, Map<String, DiskRole>> roles = c.roles() == null ? Map.of() : c.roles();
        List<String> strangers = new ArrayList<>();
        for (String nodeId : roles.keySet()) {
            if (nodeId == null || !members.containsKey(nodeId)) {
                strangers.add(Names.quote(nodeId));
            }
        }
        if (!strangers.isEmpty()) {
            strangers.sort(null);
            throw Rejection.invalid("disk roles are given for node(s) " + Checks.list(strangers)
                    + ", which are not among the nodes of the new storage cluster: add them to its nodes or"
                    + " drop their roles");
        }

        // Every node as it would be after the command, for the cluster-wide limits.
        Map<String, NodeRecord> after = new TreeMap<>();
        state.nodes().forEach(n -> after.put(n.id(), n));
        for (NodeRecord node : members.values()) {
            Map<String, DiskRole> nodeRoles = RoleRules.apply(node, roles.get(node.id()));
            after.put(node.id(), NodeCopies.inStorageCluster(node, nodeRoles));
        }
        RoleRules.checkCluster(after.values(), true);

        ClusterInfo created = new ClusterInfo(info.id(), info.createdAt(), info.managementNodeId(), c.name(),
                c.at(), c.encryption());
        Plan plan = new Plan(codec, c.name()).put(ClusterState.CLUSTER_KEY, created);
        members.keySet().forEach(id -> plan.put(ClusterState.nodeKey(id), after.get(id)));
        return plan;
    }

    Plan join(ClusterState state, JoinStorageCluster c) {
        ClusterInfo info = Checks.initialised(state);
        if (!info.hasStorageCluster()) {
            throw Rejection.invalid("there is no storage cluster to join: create the storage cluster first");
        }
        NodeRecord node = Checks.node(state, c.nodeId());
        if (node.inCluster()) {
            throw Rejection.conflict("node " + Checks.describe(node) + " is already in storage cluster "
                    + Names.quote(info.storageClusterName()));
        }
        NodeRecord joined = NodeCopies.inStorageCluster(node, RoleRules.apply(node, c.roles()));
        RoleRules.checkCluster(replace(state, joined), false);
        return new Plan(codec, node.id()).put(ClusterState.nodeKey(node.id()), joined);
    }

    Plan assignRole(ClusterState state, AssignDiskRole c) {
        Checks.initialised(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        if (!node.inCluster()) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is not in the storage cluster: join it"
                    + " to the storage cluster (with its disk roles) first");
        }
        String diskId = Checks.required(c.diskId(), "disk id");
        DiskRole role = Checks.required(c.role(), "disk role");
        boolean known = node.inventory().disks().stream().anyMatch(d -> d.id().equals(diskId))
                || (role.type() == DiskRole.Type.NONE && node.diskRoles().containsKey(diskId));
        if (!known) {
            throw Rejection.notFound("node " + Checks.describe(node) + " has no disk " + Names.quote(diskId));
        }
        NodeRecord changed = NodeCopies.withRoles(node, RoleRules.apply(node, Map.of(diskId, role)));
        // The last metadata service holds the whole cluster's state: it may move, never vanish.
        RoleRules.checkCluster(replace(state, changed), true);
        return new Plan(codec, node.id()).put(ClusterState.nodeKey(node.id()), changed);
    }

    private static List<NodeRecord> replace(ClusterState state, NodeRecord changed) {
        Map<String, NodeRecord> byId = new LinkedHashMap<>();
        state.nodes().forEach(n -> byId.put(n.id(), n));
        byId.put(changed.id(), changed);
        return List.copyOf(byId.values());
    }
}
