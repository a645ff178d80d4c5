package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.ClusterSnapshot;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.MaintenancePlan.Action;
import io.keel.ha.ManagerStatus;
import io.keel.ha.MoveCause;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeState;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One decision step of the CRM: a pure function from (snapshot, persisted status, config, now) to
 * (new status, events). Nodes first, so resources see this step's node states; then resources in
 * id order, each seeing the capacity the earlier ones took; then evacuations and migrations back,
 * which are less urgent than recoveries.
 */
final class CrmStep {
    /** States in which an instance may be running on the resource's node. */
    private static final Set<ResourceState> MAY_RUN = EnumSet.of(ResourceState.STARTED, ResourceState.REQUEST_STOP,
            ResourceState.MIGRATE, ResourceState.RELOCATE, ResourceState.FENCE);

    final Instant now;
    final HaConfig config;
    final ClusterSnapshot snapshot;
    final TreeMap<String, NodeStatus> nodes;
    final TreeMap<String, ResourceStatus> resources;
    final Set<String> returned = new HashSet<>();
    private final List<HaEvent> events = new ArrayList<>();
    private long lastUid;
    private Placement placement;

    record Result(ManagerStatus status, List<HaEvent> events) {}

    CrmStep(Instant now, HaConfig config, ClusterSnapshot snapshot, ManagerStatus status) {
        this.now = Objects.requireNonNull(now, "now");
        this.config = Objects.requireNonNull(config, "config");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.nodes = new TreeMap<>(status.nodes());
        this.resources = new TreeMap<>(status.resources());
        this.lastUid = status.lastUid();
        this.placement = new Placement(config.relocation(), Map.of(), status.roundRobinCursor());
    }

    Result run() {
        sync();
        snapshot.nodes().keySet().forEach(this::updateNode);
        placement = new Placement(config.relocation(), pool(), placement.cursor());
        ResourceMachine machine = new ResourceMachine(this);
        for (String id : List.copyOf(resources.keySet())) {
            machine.step(id, snapshot.resources().get(id));
        }
        snapshot.nodes().keySet().forEach(this::evacuate);
        migrateBack();
        return new Result(ManagerStatus.of(nodes, resources, lastUid, placement.cursor()), List.copyOf(events));
    }

    // ---- shared helpers for the resource machine ------------------------------------------------

    long uid() {
        return ++lastUid;
    }

    void emit(HaEvent event) {
        events.add(event);
    }

    Placement placement() {
        return placement;
    }

    Map<String, Capacity> used() {
        return Usage.of(resources, snapshot.resources());
    }

    NodeState nodeState(String node) {
        NodeStatus ns = node == null ? null : nodes.get(node);
        return ns == null ? NodeState.UNKNOWN : ns.state();
    }

    NodeStatus nodeStatus(String node) {
        return nodes.get(node);
    }

    /**
     * Whether {@code node} is outside the pool only because it joined or came back less than a
     * detection time ago: online, heard, asked to stay, but its LRM not acting yet or its
     * heartbeats not yet regular. Resources of its own wait for it that long.
     */
    boolean settling(String node) {
        NodeStatus ns = node == null ? null : nodes.get(node);
        NodeInfo info = node == null ? null : snapshot.nodes().get(node);
        return ns != null && info != null && ns.state() == NodeState.ONLINE && info.mode() == NodeMode.ACTIVE
                && !placement.inPool(node) && now.isBefore(ns.since().plus(config.detectionTime()));
    }

    /** Whether the node takes new resources: online and not asked to leave the pool. */
    boolean eligible(String node) {
        return placement.inPool(node);
    }

    /** Sets the waiting reason, announcing it only when it changes. */
    ResourceStatus.Builder waiting(String id, ResourceStatus st, ResourceStatus.Builder b, String reason) {
        if (!reason.equals(st.waiting())) {
            emit(new HaEvent.ResourceWaiting(now, id, reason));
        }
        return b.waiting(reason);
    }

    // ---- nodes ------------------------------------------------------------------------------------

    private void sync() {
        nodes.keySet().retainAll(snapshot.nodes().keySet());
        snapshot.nodes().keySet().forEach(n -> nodes.putIfAbsent(n, NodeStatus.online(now)));
        resources.keySet().retainAll(snapshot.resources().keySet());
        snapshot.resources().values().forEach(spec -> resources.computeIfAbsent(spec.id(), id ->
                new ResourceStatus(ResourceState.STOPPED, spec.node(), null, uid(), now, null, 0, null, null, null,
                        false, spec.startRequest(), false)));
    }

    private boolean fresh(NodeInfo info) {
        return !now.isAfter(info.lastHeartbeat().plus(config.detectionTime()));
    }

    private List<String> mayRunOn(String node) {
        List<String> ids = new ArrayList<>();
        resources.forEach((id, st) -> {
            boolean here = node.equals(st.node()) && MAY_RUN.contains(st.state());
            boolean incoming = node.equals(st.target()) && st.state() == ResourceState.MIGRATE;
            if (here || incoming) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void updateNode(String name) {
        NodeInfo info = snapshot.nodes().get(name);
        NodeStatus ns = nodes.get(name);
        boolean fresh = fresh(info);
        if (fresh) {
            switch (ns.state()) {
                case UNKNOWN, FENCE, FENCED -> {
                    emit(new HaEvent.NodeBack(now, name, ns.state()));
                    returned.add(name);
                    ns = ns.to(NodeState.ONLINE, now);
                }
                case MAINTENANCE -> {
                    if (info.mode() == NodeMode.ACTIVE) {
                        emit(new HaEvent.MaintenanceLeft(now, name));
                        returned.add(name);
                        ns = ns.to(NodeState.ONLINE, now);
                    }
                }
                case ONLINE -> { }
            }
            nodes.put(name, ns);
            return;
        }
        if (ns.state() == NodeState.ONLINE || ns.state() == NodeState.MAINTENANCE) {
            // An evacuated node that goes quiet (a finished shutdown) has nothing to fence.
            if (ns.state() == NodeState.MAINTENANCE && mayRunOn(name).isEmpty()) {
                return;
            }
            emit(new HaEvent.NodeLost(now, name, info.lastHeartbeat()));
            ns = ns.lost(now, info.lastHeartbeat());
        }
        if (ns.state() == NodeState.UNKNOWN) {
            List<String> ids = mayRunOn(name);
            if (!ids.isEmpty()) {
                emit(new HaEvent.NodeFencing(now, name, info.leasesExpireAt(), ids));
                ns = ns.to(NodeState.FENCE, now);
            }
        }
        if (ns.state() == NodeState.FENCE && !now.isBefore(info.leasesExpireAt())) {
            emit(new HaEvent.NodeFenced(now, name, Duration.between(ns.lastContact(), now)));
            ns = ns.to(NodeState.FENCED, now);
        }
        nodes.put(name, ns);
    }

    /**
     * The nodes new work may go to: online, not leaving, heard from within two heartbeats, and
     * with an LRM that acts. A node that missed two heartbeats is not lost yet, but sending it a VM
     * now would likely cost a failed start or migration and the detection time on top. A node
     * heard but not acting is not lost either, and never will be while it heartbeats: whatever is
     * placed there waits for its LRM, with no bound (a VIP recovered onto a node still catching up
     * after a partition stayed down while another node was free).
     */
    private Map<String, Capacity> pool() {
        Instant suspectBefore = now.minus(config.heartbeatInterval().multipliedBy(2));
        Map<String, Capacity> pool = new TreeMap<>();
        snapshot.nodes().forEach((name, info) -> {
            if (nodes.get(name).state() == NodeState.ONLINE && info.mode() == NodeMode.ACTIVE && info.acting()
                    && !info.lastHeartbeat().isBefore(suspectBefore)) {
                pool.put(name, info.capacity());
            }
        });
        return pool;
    }

    // ---- maintenance and shutdown -----------------------------------------------------------------

    private void evacuate(String name) {
        NodeInfo info = snapshot.nodes().get(name);
        NodeStatus ns = nodes.get(name);
        if (!fresh(info) || info.mode() == NodeMode.ACTIVE) {
            return;
        }
        if (ns.state() == NodeState.ONLINE) {
            MaintenancePlan plan = MaintenancePlanner.plan(name, info.mode(), snapshot.resources(), resources,
                    placement, used(), config.shutdownPolicy());
            if (plan.refused()) {
                // Accepted while nothing blocked, blocked since (a pinned VM started): hold off and say so once.
                String report = plan.describeBlockers();
                if (!report.equals(ns.blocked())) {
                    emit(new HaEvent.MaintenanceBlocked(now, name, plan.blockers()));
                    nodes.put(name, ns.withBlocked(report));
                }
                return;
            }
            emit(new HaEvent.MaintenanceStarted(now, plan));
            nodes.put(name, ns.to(NodeState.MAINTENANCE, now));
            apply(plan);
            completeIfEvacuated(name);
        } else if (ns.state() == NodeState.MAINTENANCE) {
            MaintenancePlan plan = MaintenancePlanner.plan(name, info.mode(), snapshot.resources(), resources,
                    placement, used(), config.shutdownPolicy());
            apply(plan);
            plan.blockers().forEach(b -> resources.put(b.resource(),
                    waiting(b.resource(), resources.get(b.resource()), resources.get(b.resource()).toBuilder(),
                            "cannot leave " + name + ": " + b.reason()).build()));
            completeIfEvacuated(name);
        }
    }

    private void completeIfEvacuated(String name) {
        NodeStatus ns = nodes.get(name);
        if (!ns.evacuated() && mayRunOn(name).isEmpty()) {
            emit(new HaEvent.MaintenanceComplete(now, name));
            nodes.put(name, ns.withEvacuated());
        }
    }

    private void apply(MaintenancePlan plan) {
        MoveCause cause = plan.mode() == NodeMode.SHUTDOWN ? MoveCause.SHUTDOWN : MoveCause.MAINTENANCE;
        for (MaintenancePlan.Move m : plan.moves()) {
            ResourceStatus st = resources.get(m.resource());
            String from = st.node();
            ResourceStatus.Builder b = st.toBuilder();
            switch (m.action()) {
                case MIGRATE -> b.enter(ResourceState.MIGRATE, uid(), now).target(m.to()).cause(cause);
                case RELOCATE -> b.enter(ResourceState.RELOCATE, uid(), now).target(m.to()).cause(cause);
                case REASSIGN -> b.node(m.to()).home(st.home() == null ? from : st.home());
                case FREEZE -> b.enter(ResourceState.REQUEST_STOP, uid(), now).cause(MoveCause.SHUTDOWN);
            }
            if (m.action() == Action.FREEZE) {
                emit(new HaEvent.ResourceStopping(now, m.resource(), from, "shutdown: frozen until the node is back"));
            } else {
                emit(new HaEvent.ResourceMoving(now, m.resource(), from, m.to(), m.action(), cause));
            }
            resources.put(m.resource(), b.build());
        }
    }

    // ---- migrate back -----------------------------------------------------------------------------

    private void migrateBack() {
        for (var e : List.copyOf(resources.entrySet())) {
            String id = e.getKey();
            ResourceStatus st = e.getValue();
            ResourceSpec spec = snapshot.resources().get(id);
            String home = st.home();
            if (spec == null || home == null || !eligible(home)) {
                continue;
            }
            // A home taken out of the allowed set is forgotten: going back would leave the set.
            if (!config.migrateBack() || spec.strategy() == Strategy.PINNED || home.equals(st.node())
                    || !spec.mayRunOn(home)) {
                resources.put(id, st.toBuilder().home(null).build());
                continue;
            }
            if (st.state() == ResourceState.STOPPED) {
                emit(new HaEvent.ResourceMoving(now, id, st.node(), home, Action.REASSIGN, MoveCause.MIGRATE_BACK));
                resources.put(id, st.toBuilder().node(home).home(null).build());
            } else if (st.state() == ResourceState.STARTED && st.confirmed()
                    && placement.fits(home, spec.placementDemand(), used())) {
                boolean live = spec.kind().liveMigratable();
                emit(new HaEvent.ResourceMoving(now, id, st.node(), home, live ? Action.MIGRATE : Action.RELOCATE,
                        MoveCause.MIGRATE_BACK));
                resources.put(id, st.toBuilder().enter(live ? ResourceState.MIGRATE : ResourceState.RELOCATE, uid(), now)
                        .target(home).cause(MoveCause.MIGRATE_BACK).build());
            }
        }
    }
}
