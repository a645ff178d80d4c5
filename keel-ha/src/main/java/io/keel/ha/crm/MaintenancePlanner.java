package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.ClusterSnapshot;
import io.keel.ha.HaConfig;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.MaintenancePlan.Action;
import io.keel.ha.MaintenancePlan.Blocker;
import io.keel.ha.MaintenancePlan.Move;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeState;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceStatus;
import io.keel.ha.ShutdownPolicy;
import io.keel.ha.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where each resource of a node goes when the node is evacuated. A pure function: the API calls
 * {@link #preview} to show the plan (and refuse with its blockers) before anything changes; the
 * CRM calls {@link #plan} with its working state and carries the plan out, so what the
 * administrator saw is what happens when nothing changed in between.
 */
public final class MaintenancePlanner {
    private MaintenancePlanner() {}

    /** The plan for evacuating {@code node} now, from the persisted status. */
    public static MaintenancePlan preview(String node, NodeMode mode, ClusterSnapshot snapshot, ManagerStatus status,
            HaConfig config) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(config, "config");
        if (snapshot.node(node).isEmpty()) {
            throw new IllegalArgumentException("no node " + node);
        }
        Map<String, Capacity> pool = new TreeMap<>();
        for (NodeInfo info : snapshot.nodes().values()) {
            NodeStatus ns = status.nodes().get(info.name());
            boolean online = ns == null || ns.state() == NodeState.ONLINE;
            if (online && info.mode() == NodeMode.ACTIVE && !info.name().equals(node)) {
                pool.put(info.name(), info.capacity());
            }
        }
        Placement placement = new Placement(config.relocation(), pool, status.roundRobinCursor());
        return plan(node, mode, snapshot.resources(), status.resources(), placement,
                Usage.of(status.resources(), snapshot.resources()), config.shutdownPolicy());
    }

    /**
     * @param placement the pool without {@code node}; round-robin's cursor advances as moves are planned
     * @param used      capacity held per node now; moves planned here are added on a copy
     */
    static MaintenancePlan plan(String node, NodeMode mode, Map<String, ResourceSpec> specs,
            Map<String, ResourceStatus> statuses, Placement placement, Map<String, Capacity> used,
            ShutdownPolicy shutdownPolicy) {
        Map<String, Capacity> planned = new HashMap<>(used);
        List<Move> moves = new ArrayList<>();
        List<Blocker> blockers = new ArrayList<>();
        boolean shutdown = mode == NodeMode.SHUTDOWN;
        Set<String> exclude = Set.of(node);
        for (var e : new TreeMap<>(statuses).entrySet()) {
            String id = e.getKey();
            ResourceStatus st = e.getValue();
            ResourceSpec spec = specs.get(id);
            if (spec == null || !node.equals(st.node())) {
                continue;
            }
            Capacity demand = spec.placementDemand();
            Set<String> allowed = spec.allowedNodes();
            switch (st.state()) {
                case STARTED -> {
                    if (shutdown && (shutdownPolicy == ShutdownPolicy.FREEZE || spec.strategy() == Strategy.PINNED)) {
                        moves.add(new Move(id, Action.FREEZE, null));
                    } else if (spec.strategy() == Strategy.PINNED) {
                        blockers.add(new Blocker(id, "pinned to " + node + " and running: stop it first"));
                    } else {
                        Optional<String> to = placement.choose(demand, allowed, exclude, planned);
                        if (to.isPresent()) {
                            Usage.add(planned, to.get(), demand);
                            Action how = spec.kind().liveMigratable() ? Action.MIGRATE : Action.RELOCATE;
                            moves.add(new Move(id, how, to.get()));
                        } else if (shutdown) {
                            moves.add(new Move(id, Action.FREEZE, null));
                        } else {
                            blockers.add(new Blocker(id, placement.noRoomReason(demand, allowed, exclude)));
                        }
                    }
                }
                case STOPPED -> {
                    // A stopped pinned resource stays where it belongs; others follow the pool. A
                    // stopped one holds no capacity, so when no node has room to run it, it still
                    // leaves (for the roomiest node): left behind, it would keep the evacuation from
                    // ever finishing, and its start reports the lack of room when someone asks.
                    // One restricted to nodes none of which can take it stays too, like a pinned
                    // one: stopped, it holds nothing, and moved outside its set it could never start.
                    if (spec.strategy() != Strategy.PINNED) {
                        placement.choose(demand, allowed, exclude, planned)
                                .or(() -> placement.choose(Capacity.NONE, allowed, exclude, planned))
                                .ifPresent(to -> moves.add(new Move(id, Action.REASSIGN, to)));
                    }
                }
                default -> { } // moving, stopping, frozen or lost: nothing to plan
            }
        }
        return new MaintenancePlan(node, mode, moves, blockers);
    }
}
