package io.keel.meta.cluster;

import io.keel.ha.NodeMode;
import io.keel.ha.RelocationMode;
import io.keel.meta.cluster.ClusterCommand.SetHaSettings;
import io.keel.meta.cluster.ClusterCommand.SetNodeMode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What administrators change of the HA engine (ADR 0030): the cluster's HA settings and a node's
 * mode (maintenance, or a graceful shutdown the node asks for itself).
 */
final class HaAdminCommands {
    private final ClusterCodec codec;

    HaAdminCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    /** Only the values given change; a bad one refuses the whole command. */
    Plan settings(ClusterState state, SetHaSettings c) {
        RelocationMode relocation = null;
        if (c.relocation() != null) {
            String label = c.relocation().trim().toLowerCase(Locale.ROOT);
            relocation = HaSettings.relocation(label).orElseThrow(() -> Rejection.invalid("relocation mode '"
                    + c.relocation() + "' is not known: use " + HaSettings.relocationLabels()));
        }
        Integer timeout = c.shutdownTimeoutSeconds();
        if (timeout != null && (timeout < 0 || timeout > HaSettings.MAX_SHUTDOWN_TIMEOUT_SECONDS)) {
            throw Rejection.invalid("the shutdown timeout must be 0 to " + HaSettings.MAX_SHUTDOWN_TIMEOUT_SECONDS
                    + " seconds, not " + timeout);
        }
        if (c.migrateBack() == null && relocation == null && timeout == null) {
            throw Rejection.invalid("nothing to change: give migrate-back, relocation or the shutdown timeout");
        }
        HaSettings next = state.haSettings().with(c.migrateBack(), relocation, timeout);
        return new Plan(codec, "ha").put(ClusterState.HA_SETTINGS_KEY, next);
    }

    /**
     * Maintenance is refused while a pinned VM runs on the node: it cannot move, and the node
     * must not leave the pool under it. (A lack of room is judged by the API's plan, which knows
     * the capacity; the manager holds the evacuation off if that changes in between.) A node in
     * maintenance that shuts down stays in maintenance: it is already evacuated.
     */
    Plan mode(ClusterState state, SetNodeMode c) {
        NodeRecord node = Checks.node(state, Checks.required(c.nodeId(), "node"));
        NodeMode mode = Checks.required(c.mode(), "node mode");
        Instant at = Checks.required(c.at(), "time");
        boolean compute = state.computeCluster().map(cc -> cc.contains(node.id())).orElse(false);
        if (!compute) {
            throw Rejection.invalid("node " + Checks.describe(node) + " is not in the compute cluster: it runs no"
                    + " VMs, so it has no maintenance mode");
        }
        NodeMode current = state.nodeMode(node.id());
        Plan plan = new Plan(codec, node.id());
        if (mode == current || (mode == NodeMode.SHUTDOWN && current == NodeMode.MAINTENANCE)) {
            return plan;
        }
        if (mode == NodeMode.MAINTENANCE) {
            if (current == NodeMode.SHUTDOWN) {
                throw Rejection.conflict("node " + Checks.describe(node) + " is shutting down: put it in maintenance"
                        + " once it is back");
            }
            List<String> pinned = state.vmsOn(node.id()).stream()
                    .filter(vm -> vm.placement() == VmPlacement.PINNED && vm.power() != VmPower.STOPPED
                            && vm.power() != VmPower.SUSPENDED)
                    .map(vm -> "VM " + Names.quote(vm.name()) + " (pinned to this node and running: stop it first)")
                    .sorted().toList();
            if (!pinned.isEmpty()) {
                throw Rejection.conflict("node " + Checks.describe(node) + " cannot enter maintenance, blocked by "
                        + String.join(", ", pinned));
            }
        }
        if (mode == NodeMode.ACTIVE) {
            plan.delete(ClusterState.haModeKey(node.id()));
        } else {
            plan.put(ClusterState.haModeKey(node.id()), new HaNodeMode(node.id(), mode, at));
        }
        boolean out = mode != NodeMode.ACTIVE;
        if (node.maintenance() != out) {
            plan.put(ClusterState.nodeKey(node.id()), NodeCopies.withMaintenance(node, out));
        }
        return plan;
    }
}
