package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.ClusterSnapshot;
import io.keel.ha.CrmEnvironment;
import io.keel.ha.DesiredState;
import io.keel.ha.HaEvent;
import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Small builders for CRM unit tests that do not need the whole simulator. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Capacity NODE = new Capacity(8192, 8);

    private Fixtures() {}

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static NodeInfo node(String name, long lastHeartbeat, long leasesExpire) {
        return new NodeInfo(name, at(lastHeartbeat), at(leasesExpire), NODE, NodeMode.ACTIVE);
    }

    static NodeInfo node(String name, long now, NodeMode mode) {
        return new NodeInfo(name, at(now), at(now + 10), NODE, mode);
    }

    static ResourceSpec vm(String id, String node, Strategy strategy, long mem) {
        return new ResourceSpec(id, ResourceKind.VM, new Capacity(mem, 1), strategy, node, DesiredState.STARTED, 0);
    }

    /** An iSCSI LUN path on {@code node} that may run only on {@code allowed}. */
    static ResourceSpec iscsi(String id, String node, String... allowed) {
        return new ResourceSpec(id, ResourceKind.ISCSI, Capacity.NONE, Strategy.AUTO, node, DesiredState.STARTED, 0,
                java.util.Set.of(allowed));
    }

    static ResourceSpec vip(String id, String node) {
        return new ResourceSpec(id, ResourceKind.VIP, Capacity.NONE, Strategy.AUTO, node, DesiredState.STARTED, 0);
    }

    /** A status where every node is online and every resource runs (confirmed) on its node. */
    static ManagerStatus running(List<NodeInfo> nodes, List<ResourceSpec> specs) {
        Map<String, NodeStatus> ns = new TreeMap<>();
        nodes.forEach(n -> ns.put(n.name(), NodeStatus.online(T0)));
        Map<String, ResourceStatus> rs = new TreeMap<>();
        long uid = 0;
        for (ResourceSpec s : specs) {
            rs.put(s.id(), new ResourceStatus(ResourceState.STARTED, s.node(), null, ++uid, T0, null, 0, null, null, null,
                    false, 0, true));
        }
        return ManagerStatus.of(ns, rs, uid, null);
    }

    /** A CRM environment whose world the test sets field by field. */
    static final class Env implements CrmEnvironment {
        Instant now = T0;
        List<NodeInfo> nodes = List.of();
        List<ResourceSpec> specs = List.of();
        List<LrmReport> reports = List.of();
        ManagerStatus status;
        final List<HaEvent> events = new ArrayList<>();

        public Instant now() {
            return now;
        }

        public String node() {
            return "node1";
        }

        public ClusterSnapshot snapshot() {
            return new ClusterSnapshot(nodes, specs, reports);
        }

        public Optional<ManagerStatus> loadStatus() {
            return Optional.ofNullable(status);
        }

        public void saveStatus(ManagerStatus s) {
            status = s;
        }

        public void emit(HaEvent event) {
            events.add(event);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        <E extends HaEvent> List<E> events(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
