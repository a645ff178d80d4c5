package io.keel.ha;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the CRM reads of the cluster in one step: nodes, configured resources and the
 * latest report of each LRM about each resource. Maps are sorted by name so every decision loop
 * runs in the same order on every leader, which is what makes the engine deterministic.
 */
public final class ClusterSnapshot {
    private final SortedMap<String, NodeInfo> nodes;
    private final SortedMap<String, ResourceSpec> resources;
    private final Map<String, LrmReport> reports;

    public ClusterSnapshot(Collection<NodeInfo> nodes, Collection<ResourceSpec> resources, Collection<LrmReport> reports) {
        TreeMap<String, NodeInfo> n = new TreeMap<>();
        nodes.forEach(i -> n.put(i.name(), i));
        TreeMap<String, ResourceSpec> r = new TreeMap<>();
        resources.forEach(s -> r.put(s.id(), s));
        Map<String, LrmReport> rep = new HashMap<>();
        reports.forEach(x -> rep.put(key(x.node(), x.resource()), x));
        this.nodes = Collections.unmodifiableSortedMap(n);
        this.resources = Collections.unmodifiableSortedMap(r);
        this.reports = Map.copyOf(rep);
    }

    public SortedMap<String, NodeInfo> nodes() {
        return nodes;
    }

    public SortedMap<String, ResourceSpec> resources() {
        return resources;
    }

    public Optional<NodeInfo> node(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(nodes.get(name));
    }

    /** The outcome {@code node} reported for {@code resource}, if it answers decision {@code uid}. */
    public Optional<LrmReport.Outcome> report(String node, String resource, long uid) {
        return latest(node, resource, uid).map(LrmReport::outcome);
    }

    /** The report {@code node} made for {@code resource}, if it answers decision {@code uid}. */
    public Optional<LrmReport> latest(String node, String resource, long uid) {
        Objects.requireNonNull(resource, "resource");
        if (node == null) {
            return Optional.empty();
        }
        LrmReport r = reports.get(key(node, resource));
        return r != null && r.uid() == uid ? Optional.of(r) : Optional.empty();
    }

    private static String key(String node, String resource) {
        return node + '\n' + resource;
    }
}
