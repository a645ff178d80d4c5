package io.keel.ha;

import java.util.Objects;

/**
 * A resource as the administrator configured it (kept in the metadata, changed through the API).
 *
 * @param id           kind prefix and name, e.g. {@code vm:web}
 * @param demand       what an instance needs of a node; none for kinds that use no capacity
 * @param node         its own node: where failover and pinned resources run, and a hint for auto
 *                     ones; null for an auto resource never placed
 * @param startRequest raised by every explicit "start": releases a pinned resource held after its
 *                     node returned and a resource in error, which plain desired state must not
 */
public record ResourceSpec(String id, ResourceKind kind, Capacity demand, Strategy strategy, String node,
        DesiredState desired, long startRequest) {

    public ResourceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(desired, "desired");
        if (!id.startsWith(kind.name() + ":") || id.length() == kind.name().length() + 1) {
            throw new IllegalArgumentException("resource id " + id + " must be " + kind.name() + ":NAME");
        }
        if (!kind.usesCapacity() && !demand.isNone()) {
            throw new IllegalArgumentException(id + ": a " + kind.name() + " uses no capacity, yet asks for " + demand);
        }
        if (strategy != Strategy.AUTO && node == null) {
            throw new IllegalArgumentException(id + ": a " + strategy.name().toLowerCase(java.util.Locale.ROOT)
                    + " resource needs its node");
        }
    }

    /** The demand placement must find room for: none when the kind uses no capacity. */
    public Capacity placementDemand() {
        return kind.usesCapacity() ? demand : Capacity.NONE;
    }

    public ResourceSpec withDesired(DesiredState state) {
        return new ResourceSpec(id, kind, demand, strategy, node, state, startRequest);
    }

    /** Desired started, and a new explicit start request. */
    public ResourceSpec started() {
        return new ResourceSpec(id, kind, demand, strategy, node, DesiredState.STARTED, startRequest + 1);
    }
}
