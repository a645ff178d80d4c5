package io.keel.ha.sim;

import io.keel.ha.Capacity;
import io.keel.ha.HaConfig;
import io.keel.ha.ResourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What must hold at every instant of every scenario, whatever the expected log says: a resource
 * runs on one node at most (a partitioned node's copy must be gone before another starts), nothing
 * runs on a node whose leases have expired (it would be writing with a dead lease, which only the
 * self-fence prevents), and no node holds more than its capacity.
 */
final class Invariants {
    private final Simulator sim;
    private final HaConfig config;

    Invariants(Simulator sim, HaConfig config) {
        this.sim = sim;
        this.config = config;
    }

    void check(String when, EventLog log) {
        List<String> violations = new ArrayList<>();
        Map<String, List<String>> hosts = new TreeMap<>();
        for (SimNode n : sim.nodes.values()) {
            Capacity held = Capacity.NONE;
            for (var e : n.instances.entrySet()) {
                if (!e.getValue().process()) {
                    continue;
                }
                hosts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(n.name);
                if (!sim.now.isBefore(n.lastContact.plus(config.leaseTtl()))) {
                    violations.add(e.getKey() + " still runs on " + n.name + ", whose leases expired at "
                            + log.time(n.lastContact.plus(config.leaseTtl())));
                }
                ResourceSpec spec = sim.specs.get(e.getKey());
                if (spec != null) {
                    held = held.plus(spec.placementDemand());
                }
            }
            if (held.memMiB() > n.capacity.memMiB() || held.vcpus() > n.capacity.vcpus()) {
                violations.add(n.name + " holds " + held + ", over its capacity " + n.capacity);
            }
        }
        hosts.forEach((id, on) -> {
            if (on.size() > 1) {
                violations.add(id + " runs on " + String.join(" and ", on) + " at once");
            }
        });
        if (!violations.isEmpty()) {
            throw new AssertionError("invariant violated at " + log.time(sim.now) + " " + when + ": "
                    + String.join("; ", violations) + "\nlog so far:\n" + log.text());
        }
    }
}
