package io.keel.ha;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The CRM's whole memory, persisted in the metadata after every step. A CRM on a new leader reads
 * it and carries on where the old one stopped, in the middle of a fence wait or a migration: the
 * manager itself keeps nothing between steps.
 *
 * @param lastUid          the last decision id handed out
 * @param roundRobinCursor the node round-robin placement chose last, or null
 */
public record ManagerStatus(SortedMap<String, NodeStatus> nodes, SortedMap<String, ResourceStatus> resources,
        long lastUid, String roundRobinCursor) {

    public ManagerStatus {
        nodes = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(nodes, "nodes")));
        resources = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(resources, "resources")));
    }

    public static ManagerStatus empty() {
        return new ManagerStatus(new TreeMap<>(), new TreeMap<>(), 0, null);
    }

    public static ManagerStatus of(Map<String, NodeStatus> nodes, Map<String, ResourceStatus> resources, long lastUid,
            String cursor) {
        return new ManagerStatus(new TreeMap<>(nodes), new TreeMap<>(resources), lastUid, cursor);
    }
}
