package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AddComputeNode;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.DeleteComputeCluster;
import io.keel.meta.cluster.ClusterCommand.RemoveComputeNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compute cluster: which storage cluster nodes run VMs. A compute node must be in the storage
 * cluster because VM disks are Keel volumes served from the local node. Whether a node is alive
 * is known only from heartbeats, which the replicated logic cannot see; the API refuses nodes it
 * does not hear before submitting, and this logic checks everything stored.
 */
final class ComputeCommands {
    static final String ENTITY = "compute";

    private final ClusterCodec codec;

    ComputeCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan create(ClusterState state, CreateComputeCluster c) {
        Checks.initialised(state);
        state.computeCluster().ifPresent(existing -> {
            throw Rejection.conflict("a compute cluster already exists (nodes " + names(state, existing.nodeIds())
                    + "): add nodes to it instead of creating another");
        });
        Checks.required(c.at(), "creation time");
        Map<String, NodeRecord> members = Checks.distinctNodes(state, c.nodeIds(),
                "a compute cluster needs at least one node: list the nodes to create it on");
        members.values().forEach(ComputeCommands::eligible);
        List<Flavor> defaults = c.defaultFlavors() == null ? List.of() : c.defaultFlavors();
        Set<String> seen = new HashSet<>();
        for (Flavor f : defaults) {
            FlavorCommands.valid(Checks.required(f, "default flavor"));
            if (!seen.add(f.name())) {
                throw Rejection.invalid("default flavor " + Names.quote(f.name()) + " is given more than once");
            }
        }
        Plan plan = new Plan(codec, ENTITY)
                .put(ClusterState.COMPUTE_KEY, new ComputeCluster(c.at(), List.copyOf(members.keySet())));
        // An administrator's flavor of the same name wins: defaults never overwrite.
        defaults.stream().filter(f -> state.flavor(f.name()).isEmpty())
                .forEach(f -> plan.put(ClusterState.flavorKey(f.name()), f));
        return plan;
    }

    Plan addNode(ClusterState state, AddComputeNode c) {
        ComputeCluster cluster = existing(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        if (cluster.contains(node.id())) {
            throw Rejection.conflict("node " + Checks.describe(node) + " is already in the compute cluster");
        }
        eligible(node);
        List<String> ids = new ArrayList<>(cluster.nodeIds());
        ids.add(node.id());
        return new Plan(codec, node.id())
                .put(ClusterState.COMPUTE_KEY, new ComputeCluster(cluster.createdAt(), ids));
    }

    Plan removeNode(ClusterState state, RemoveComputeNode c) {
        ComputeCluster cluster = existing(state);
        NodeRecord node = Checks.node(state, c.nodeId());
        if (!cluster.contains(node.id())) {
            throw Rejection.notFound("node " + Checks.describe(node) + " is not in the compute cluster");
        }
        if (cluster.nodeIds().size() == 1) {
            throw Rejection.conflict("node " + Checks.describe(node) + " is the compute cluster's last node:"
                    + " delete the compute cluster instead");
        }
        List<String> placed = state.vmsOn(node.id()).stream().map(v -> Names.quote(v.name())).toList();
        if (!placed.isEmpty()) {
            throw Rejection.conflict("node " + Checks.describe(node) + " hosts VMs " + Checks.list(placed)
                    + ": migrate or delete them first");
        }
        List<String> ids = new ArrayList<>(cluster.nodeIds());
        ids.remove(node.id());
        return new Plan(codec, node.id())
                .put(ClusterState.COMPUTE_KEY, new ComputeCluster(cluster.createdAt(), ids));
    }

    Plan delete(ClusterState state, DeleteComputeCluster c) {
        existing(state);
        List<String> vms = state.vms().stream().map(v -> Names.quote(v.name())).toList();
        if (!vms.isEmpty()) {
            throw Rejection.conflict("VMs " + Checks.list(vms) + " exist: delete them first");
        }
        return new Plan(codec, ENTITY).delete(ClusterState.COMPUTE_KEY);
    }

    private static ComputeCluster existing(ClusterState state) {
        Checks.initialised(state);
        return state.computeCluster().orElseThrow(() -> Rejection.notFound(
                "there is no compute cluster: create it first"));
    }

    /** What the stored record can tell: the node is in the storage cluster and not in maintenance. */
    private static void eligible(NodeRecord node) {
        if (!node.inCluster()) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is not in the storage cluster: VM disks are"
                    + " served by the local node, so join it to the storage cluster first");
        }
        if (node.maintenance()) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is in maintenance: take it out of"
                    + " maintenance first");
        }
    }

    /** Sorted by name: the stored order is by id, which says nothing to whoever reads the message. */
    private static String names(ClusterState state, List<String> ids) {
        return Checks.list(ids.stream().map(id -> state.node(id).map(NodeRecord::name).orElse(id)).sorted().toList());
    }
}
