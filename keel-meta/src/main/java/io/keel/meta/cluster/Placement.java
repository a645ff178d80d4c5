package io.keel.meta.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether the cluster as it is can place the pieces of a chunk under a policy: it needs at least
 * as many distinct failure domains holding a storage disk of the policy's tier as a chunk has
 * pieces. Only nodes in the storage cluster and not in maintenance count.
 */
public final class Placement {
    private Placement() {}

    /** The failure domains (by id) that hold usable storage of {@code tier}, in id order. */
    public static Map<String, String> domains(ClusterState state, int tier, FailureDomain domain) {
        return domains(state, tier, domain, Set.of());
    }

    /** As {@link #domains(ClusterState, int, FailureDomain)}, leaving out the nodes {@code without}. */
    public static Map<String, String> domains(ClusterState state, int tier, FailureDomain domain, Set<String> without) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(domain, "domain");
        Map<String, Location> locations = state.locations().stream()
                .collect(Collectors.toMap(Location::id, Function.identity()));
        Map<String, String> found = new TreeMap<>();
        for (NodeRecord n : state.nodes()) {
            if (!n.inCluster() || n.maintenance() || without.contains(n.id()) || state.releasing(n.id())) {
                continue;
            }
            for (Map.Entry<String, DiskRole> e : new TreeMap<>(n.diskRoles()).entrySet()) {
                DiskRole r = e.getValue();
                if (r.type() != DiskRole.Type.STORAGE || r.tier() != tier) {
                    continue;
                }
                switch (domain) {
                    case DISK -> found.put(n.id() + "/" + e.getKey(), n.name() + "/" + e.getKey());
                    case HOST -> found.put(n.id(), n.name());
                    default -> ancestor(locations, n.rackId(), domain)
                            .ifPresent(l -> found.put(l.id(), l.name()));
                }
            }
        }
        return found;
    }

    /** Empty when {@code policy} can be placed now, else the reason for an administrator. */
    public static Optional<String> unplaceable(ClusterState state, StoragePolicy policy) {
        return unplaceable(state, policy, Set.of());
    }

    /** As {@link #unplaceable(ClusterState, StoragePolicy)} for the cluster without the nodes {@code without}. */
    public static Optional<String> unplaceable(ClusterState state, StoragePolicy policy, Set<String> without) {
        Map<String, String> domains = domains(state, policy.tier(), policy.failureDomain(), without);
        if (domains.size() >= policy.pieces()) {
            return Optional.empty();
        }
        String what = policy.failureDomain().label() + (policy.pieces() == 1 ? "" : "s");
        String have = domains.isEmpty() ? "none"
                : domains.size() + " (" + String.join(", ", new TreeSet<>(domains.values())) + ")";
        return Optional.of("policy " + Names.quote(policy.name()) + " needs " + policy.pieces() + " " + what
                + " with tier-" + policy.tier() + " storage disks (failure domain " + policy.failureDomain().label()
                + ", " + policy.redundancy().label() + "); the cluster has " + have);
    }

    private static Optional<Location> ancestor(Map<String, Location> locations, String rackId, FailureDomain domain) {
        Location l = locations.get(rackId);
        Location.Type wanted = switch (domain) {
            case RACK -> Location.Type.RACK;
            case ROW -> Location.Type.ROW;
            default -> Location.Type.ROOM;
        };
        while (l != null && l.type() != wanted) {
            l = l.parentId() == null ? null : locations.get(l.parentId());
        }
        return Optional.ofNullable(l);
    }
}
