package io.keel.ha;

import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A resource as the administrator configured it (kept in the metadata, changed through the API).
 *
 * @param id           kind prefix and name, e.g. {@code vm:web}
 * @param demand       what an instance needs of a node; none for kinds that use no capacity
 * @param node         its own node: where failover and pinned resources run, and a hint for auto
 *                     ones; null for an auto resource never placed
 * @param startRequest raised by every explicit "start": releases a pinned resource held after its
 *                     node returned and a resource in error, which plain desired state must not
 * @param allowedNodes the only nodes it may run on (an iSCSI LUN path: the nodes of its target
 *                     group), sorted by name; empty means any node of the pool
 */
public record ResourceSpec(String id, ResourceKind kind, Capacity demand, Strategy strategy, String node,
        DesiredState desired, long startRequest, Set<String> allowedNodes) {

    public ResourceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(desired, "desired");
        // Sorted, so every message naming the nodes reads the same on every leader; a TreeSet
        // also refuses a null name.
        allowedNodes = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(allowedNodes,
                "allowedNodes")));
        if (!id.startsWith(kind.name() + ":") || id.length() == kind.name().length() + 1) {
            throw new IllegalArgumentException("resource id " + id + " must be " + kind.name() + ":NAME");
        }
        if (!kind.usesCapacity() && !demand.isNone()) {
            throw new IllegalArgumentException(id + ": a " + kind.name() + " uses no capacity, yet asks for " + demand);
        }
        if (strategy != Strategy.AUTO && node == null) {
            throw new IllegalArgumentException(id + ": a " + strategy.name().toLowerCase(Locale.ROOT)
                    + " resource needs its node");
        }
        // An auto resource's node is only a hint the engine passes over; a failover or pinned
        // one's node is where it runs, so outside the set it could never start.
        if (strategy != Strategy.AUTO && !allowedNodes.isEmpty() && !allowedNodes.contains(node)) {
            throw new IllegalArgumentException(id + ": a " + strategy.name().toLowerCase(Locale.ROOT)
                    + " resource's node " + node + " must be one of its allowed nodes " + String.join(", ", allowedNodes));
        }
    }

    /** A resource that may run on any node of the pool (what every caller meant before allowed nodes). */
    public ResourceSpec(String id, ResourceKind kind, Capacity demand, Strategy strategy, String node,
            DesiredState desired, long startRequest) {
        this(id, kind, demand, strategy, node, desired, startRequest, Set.of());
    }

    /** The demand placement must find room for: none when the kind uses no capacity. */
    public Capacity placementDemand() {
        return kind.usesCapacity() ? demand : Capacity.NONE;
    }

    /** Whether it may run on {@code node}: any node when no allowed nodes are set. */
    public boolean mayRunOn(String node) {
        return node != null && (allowedNodes.isEmpty() || allowedNodes.contains(node));
    }

    public ResourceSpec withDesired(DesiredState state) {
        return new ResourceSpec(id, kind, demand, strategy, node, state, startRequest, allowedNodes);
    }

    /** Desired started, and a new explicit start request. */
    public ResourceSpec started() {
        return new ResourceSpec(id, kind, demand, strategy, node, DesiredState.STARTED, startRequest + 1, allowedNodes);
    }

    /** The same resource restricted to {@code nodes} (empty: any node), as when its target group changes. */
    public ResourceSpec withAllowedNodes(Set<String> nodes) {
        return new ResourceSpec(id, kind, demand, strategy, node, desired, startRequest, nodes);
    }
}
