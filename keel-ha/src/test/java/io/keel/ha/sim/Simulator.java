package io.keel.ha.sim;

import io.keel.ha.ClusterSnapshot;
import io.keel.ha.CrmEnvironment;
import io.keel.ha.DesiredState;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.ha.LrmEnvironment;
import io.keel.ha.LrmReport;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeState;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.crm.ClusterResourceManager;
import io.keel.ha.crm.MaintenancePlanner;
import io.keel.ha.lrm.LocalResourceManager;
import io.keel.ha.sim.Scenario.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A deterministic cluster on a virtual clock: nodes with power and network partitions, a
 * metadata majority that elects a leader and renews heartbeats and leases, instances that take
 * virtual seconds to start, stop and migrate, and the real CRM and LRMs driving them. Each second
 * of virtual time: scripted actions, completed transitions, contact and leadership, one CRM step on
 * the leader, one LRM step per live node; {@link Invariants} are checked after every phase that
 * moves instances and any violation fails the run.
 */
public final class Simulator {
    static final Instant EPOCH = Instant.EPOCH;

    private final Scenario scenario;
    private final HaConfig config;
    final TreeMap<String, SimNode> nodes = new TreeMap<>();
    final TreeMap<String, ResourceSpec> specs = new TreeMap<>();
    private final Map<String, LrmReport> reports = new HashMap<>();
    private final EventLog log = new EventLog(EPOCH);
    private final Invariants invariants;
    /** Which partition group each node is in; empty when the network is whole. */
    private final Map<String, Integer> group = new HashMap<>();
    ManagerStatus persisted;
    private String leader;
    private ClusterResourceManager crm;
    private boolean quorum = true;
    Instant now = EPOCH;

    public Simulator(Scenario scenario) {
        this.scenario = scenario;
        this.config = scenario.config();
        this.invariants = new Invariants(this, config);
        scenario.nodes().forEach(n -> nodes.put(n.name(), new SimNode(n.name(), n.capacity(), n.meta(), EPOCH)));
        scenario.resources().forEach(r -> specs.put(r.id(), r));
        persisted = seed();
        nodes.values().forEach(n -> n.lrm = new LocalResourceManager(new LrmEnv(n), config));
    }

    /**
     * The cluster as it was running before the scenario: resources that should run do, on their
     * node, and the persisted status says so, as a CRM that has been running for a while would have.
     */
    private ManagerStatus seed() {
        Map<String, NodeStatus> ns = new TreeMap<>();
        nodes.keySet().forEach(n -> ns.put(n, NodeStatus.online(EPOCH)));
        Map<String, ResourceStatus> rs = new TreeMap<>();
        long uid = 0;
        for (ResourceSpec s : specs.values()) {
            boolean run = s.desired() == DesiredState.STARTED && s.node() != null;
            if (run) {
                nodes.get(s.node()).instances.put(s.id(), SimInstance.running());
            }
            rs.put(s.id(), new ResourceStatus(run ? ResourceState.STARTED : ResourceState.STOPPED, s.node(), null, ++uid,
                    EPOCH, null, 0, null, null, null, false, 0, run));
        }
        return ManagerStatus.of(ns, rs, uid, null);
    }

    /** Runs the whole scenario and returns the event log; throws on an invariant violation. */
    public String run() {
        return run(sim -> { });
    }

    /**
     * Runs the whole scenario, showing the simulator to {@code eachSecond} at the end of every
     * virtual second, so a test can time what it reached without replaying the run per instant.
     */
    public String run(java.util.function.Consumer<Simulator> eachSecond) {
        long end = scenario.runFor().toSeconds();
        for (long t = 0; t <= end; t++) {
            now = EPOCH.plusSeconds(t);
            for (Scenario.Timed a : scenario.actions()) {
                if (a.at().toSeconds() == t) {
                    log.add(now, "sim", a.text());
                    apply(a.action());
                }
            }
            completeTransitions();
            invariants.check("after transitions", log);
            contact();
            if (crm != null) {
                crm.step();
            }
            for (SimNode n : nodes.values()) {
                if (n.alive && !n.stalled) {
                    n.lrm.step();
                }
            }
            finishShutdowns();
            invariants.check("after the managers' steps", log);
            eachSecond.accept(this);
        }
        return log.text();
    }

    // ---- the world ---------------------------------------------------------------------------------

    private void apply(Action action) {
        switch (action) {
            case Action.Kill k -> {
                SimNode n = node(k.node());
                n.alive = false;
                n.instances.clear();
            }
            case Action.Restart r -> {
                SimNode n = node(r.node());
                n.alive = true;
                if (n.mode == NodeMode.SHUTDOWN) {
                    n.mode = NodeMode.ACTIVE;
                }
                n.lrm = new LocalResourceManager(new LrmEnv(n), config);
            }
            case Action.Stall st -> node(st.node()).stalled = st.stalled();
            case Action.Partition p -> {
                group.clear();
                for (int i = 0; i < p.groups().size(); i++) {
                    for (String n : p.groups().get(i)) {
                        node(n);
                        group.put(n, i);
                    }
                }
                if (group.size() != nodes.size()) {
                    throw new IllegalArgumentException("a partition must name every node");
                }
            }
            case Action.Heal h -> group.clear();
            case Action.MaintenanceEnter m -> {
                // As the API does: preview first, refuse with the blockers, else ask the CRM.
                MaintenancePlan plan = MaintenancePlanner.preview(m.node(), NodeMode.MAINTENANCE, snapshot(), persisted, config);
                if (plan.refused()) {
                    log.event("api", new HaEvent.MaintenanceBlocked(now, m.node(), plan.blockers()));
                } else {
                    node(m.node()).mode = NodeMode.MAINTENANCE;
                }
            }
            case Action.MaintenanceLeave m -> node(m.node()).mode = NodeMode.ACTIVE;
            case Action.Shutdown s -> node(s.node()).mode = NodeMode.SHUTDOWN;
            case Action.SetCapacity c -> node(c.node()).capacity = c.capacity();
            case Action.Start s -> specs.put(s.resource(), spec(s.resource()).started());
            case Action.Stop s -> specs.put(s.resource(), spec(s.resource()).withDesired(DesiredState.STOPPED));
            case Action.Crash c -> fail(c.resource(), "QEMU exited", false);
            case Action.IoError e -> fail(e.resource(), "paused on an I/O error", true);
            case Action.AddResource a -> specs.put(a.spec().id(), a.spec());
            case Action.SetAllowed a -> specs.put(a.resource(), spec(a.resource()).withAllowedNodes(a.nodes()));
        }
    }

    private void fail(String resource, String why, boolean processLeft) {
        SimNode host = nodes.values().stream().filter(n -> n.instances.containsKey(resource)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(resource + " runs nowhere"));
        host.instances.put(resource, host.instances.get(resource).failed(why, processLeft));
    }

    private SimNode node(String name) {
        SimNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name);
        }
        return n;
    }

    private ResourceSpec spec(String id) {
        ResourceSpec s = specs.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return s;
    }

    boolean connected(String a, String b) {
        return group.isEmpty() || group.get(a).equals(group.get(b));
    }

    private void completeTransitions() {
        for (SimNode n : nodes.values()) {
            for (var e : List.copyOf(n.instances.entrySet())) {
                SimInstance i = e.getValue();
                if (i.until() == null || now.isBefore(i.until())) {
                    continue;
                }
                switch (i.state()) {
                    case STARTING -> n.instances.put(e.getKey(), SimInstance.running());
                    case STOPPING -> n.instances.remove(e.getKey());
                    case MIGRATING -> {
                        SimNode to = nodes.get(i.target());
                        // The switch-over needs both ends up and talking; otherwise the source keeps it.
                        if (n.alive && to.alive && connected(n.name, to.name)) {
                            n.instances.remove(e.getKey());
                            to.instances.put(e.getKey(), SimInstance.running());
                        } else {
                            n.instances.put(e.getKey(), SimInstance.running());
                        }
                    }
                    default -> { }
                }
            }
        }
    }

    /** Which nodes reach a majority of the metadata members, renewing their contact; elects the leader. */
    private void contact() {
        long members = nodes.values().stream().filter(n -> n.meta).count();
        Map<Integer, Long> metaPerGroup = nodes.values().stream().filter(n -> n.meta && n.alive)
                .collect(Collectors.groupingBy(n -> group.getOrDefault(n.name, 0), Collectors.counting()));
        Optional<Integer> majority = metaPerGroup.entrySet().stream().filter(e -> e.getValue() * 2 > members)
                .map(Map.Entry::getKey).findFirst();
        for (SimNode n : nodes.values()) {
            if (n.alive && majority.isPresent() && majority.get().equals(group.getOrDefault(n.name, 0))) {
                n.lastContact = now;
            }
        }
        if (majority.isEmpty()) {
            if (quorum) {
                log.add(now, "sim", "no metadata majority: no leader, no CRM");
            }
            quorum = false;
            leader = null;
            crm = null;
            return;
        }
        quorum = true;
        if (leader == null || !hasMajority(nodes.get(leader))) {
            leader = nodes.values().stream().filter(n -> n.meta && hasMajority(n)).findFirst().orElseThrow().name;
            crm = new ClusterResourceManager(new CrmEnv(leader), config);
        }
    }

    HaConfig config() {
        return config;
    }

    boolean hasMajority(SimNode n) {
        return n.alive && n.lastContact.equals(now);
    }

    /** A node shutting down powers off once the CRM has evacuated it and nothing runs there. */
    private void finishShutdowns() {
        for (SimNode n : nodes.values()) {
            NodeStatus ns = persisted.nodes().get(n.name);
            if (n.alive && n.mode == NodeMode.SHUTDOWN && n.instances.isEmpty() && ns != null
                    && ns.state() == NodeState.MAINTENANCE && ns.evacuated()) {
                log.add(now, "sim", n.name + " powers off");
                n.alive = false;
            }
        }
    }

    ClusterSnapshot snapshot() {
        List<NodeInfo> infos = nodes.values().stream().map(n -> new NodeInfo(n.name, n.lastContact,
                n.lastContact.plus(config.leaseTtl()), n.capacity, n.mode, !n.stalled)).toList();
        return new ClusterSnapshot(infos, specs.values(), reports.values());
    }

    /** VMs boot; every other kind (a VIP, an iSCSI path) only configures the host: the VIP's time. */
    private Duration startTime(ResourceKind kind) {
        return kind.equals(ResourceKind.VM) ? scenario.timing().vmStart() : scenario.timing().vipStart();
    }

    /**
     * An invariant checked where it can happen rather than after the fact: no instance is started
     * or migrated onto a node outside its allowed nodes as they are at that moment. (One already
     * running where the administrator has just disallowed it is the engine's to move, not a fault.)
     */
    void requireAllowed(String resource, String node) {
        ResourceSpec spec = specs.get(resource);
        if (spec != null && !spec.mayRunOn(node)) {
            throw new AssertionError("invariant violated at " + log.time(now) + ": " + resource + " sent to " + node
                    + ", outside its allowed nodes " + String.join(", ", spec.allowedNodes()) + "\nlog so far:\n"
                    + log.text());
        }
    }

    // ---- the environments ----------------------------------------------------------------------------

    private final class CrmEnv implements CrmEnvironment {
        private final String node;

        CrmEnv(String node) {
            this.node = node;
        }

        public Instant now() {
            return now;
        }

        public String node() {
            return node;
        }

        public ClusterSnapshot snapshot() {
            return Simulator.this.snapshot();
        }

        public Optional<ManagerStatus> loadStatus() {
            return Optional.ofNullable(persisted);
        }

        public void saveStatus(ManagerStatus status) {
            if (!node.equals(leader)) {
                throw new IllegalStateException("a CRM on " + node + " wrote the status while " + leader + " leads");
            }
            persisted = status;
        }

        public void emit(HaEvent event) {
            log.event("crm", event);
        }
    }

    private final class LrmEnv implements LrmEnvironment {
        private final SimNode n;

        LrmEnv(SimNode n) {
            this.n = n;
        }

        public String node() {
            return n.name;
        }

        public Instant now() {
            return now;
        }

        public boolean hasMajority() {
            return Simulator.this.hasMajority(n);
        }

        public Instant lastMajorityContact() {
            return n.lastContact;
        }

        public Optional<ManagerStatus> readStatus() {
            return hasMajority() ? Optional.ofNullable(persisted) : Optional.empty();
        }

        public Map<String, ResourceSpec> resources() {
            return Map.copyOf(specs);
        }

        public Map<String, LocalInstance> instances() {
            Map<String, LocalInstance> m = new TreeMap<>();
            n.instances.forEach((id, i) -> m.put(id, i.view(id)));
            return m;
        }

        public void start(ResourceSpec resource) {
            if (n.instances.containsKey(resource.id())) {
                throw new IllegalStateException(resource.id() + " is already on " + n.name);
            }
            requireAllowed(resource.id(), n.name);
            n.instances.put(resource.id(), SimInstance.starting(now.plus(startTime(resource.kind()))));
        }

        public void stop(String resource) {
            n.instances.computeIfPresent(resource, (id, i) -> i.stopping(now.plus(scenario.timing().stop())));
        }

        public void kill(String resource) {
            n.instances.remove(resource);
        }

        public void migrate(String resource, String target) {
            requireAllowed(resource, target);
            n.instances.computeIfPresent(resource, (id, i) -> i.migrating(target, now.plus(scenario.timing().migrate())));
        }

        public void report(LrmReport report) {
            if (!hasMajority()) {
                throw new IllegalStateException(n.name + " reported without reaching the majority");
            }
            reports.put(report.node() + '\n' + report.resource(), report);
        }

        public void emit(HaEvent event) {
            log.event("lrm", event);
        }
    }
}
