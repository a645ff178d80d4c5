package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.RelocationMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Chooses a node for a resource among the scheduling pool (online nodes not in maintenance),
 * respecting capacity. Usage is passed in on every call rather than kept here, so it is always
 * what the statuses decided so far in this step say: two resources placed in one step see each
 * other. Only round-robin's cursor is state, and it is persisted with the manager status.
 */
public final class Placement {
    private final RelocationMode mode;
    private final SortedMap<String, Capacity> pool;
    private String cursor;

    /** @param pool capacity of each node resources may be placed on, by name */
    public Placement(RelocationMode mode, Map<String, Capacity> pool, String cursor) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.pool = new TreeMap<>(Objects.requireNonNull(pool, "pool"));
        this.cursor = cursor;
    }

    public Placement copy() {
        return new Placement(mode, pool, cursor);
    }

    public String cursor() {
        return cursor;
    }

    public boolean inPool(String node) {
        return node != null && pool.containsKey(node);
    }

    /** Whether {@code demand} fits on {@code node} (which must be in the pool) next to {@code used}. */
    public boolean fits(String node, Capacity demand, Map<String, Capacity> used) {
        Capacity cap = pool.get(node);
        if (cap == null) {
            return false;
        }
        Capacity after = used.getOrDefault(node, Capacity.NONE).plus(demand);
        return after.memMiB() <= cap.memMiB() && after.vcpus() <= cap.vcpus();
    }

    /** The node for {@code demand}, excluding {@code exclude}; empty when none has room. */
    public Optional<String> choose(Capacity demand, Set<String> exclude, Map<String, Capacity> used) {
        Objects.requireNonNull(demand, "demand");
        Optional<String> chosen = mode == RelocationMode.DRS ? mostFree(demand, exclude, used)
                : nextAfterCursor(demand, exclude, used);
        if (mode == RelocationMode.ROUND_ROBIN) {
            chosen.ifPresent(n -> cursor = n);
        }
        return chosen;
    }

    /** Why {@link #choose} found nothing, in words for the resource's waiting state. */
    public String noRoomReason(Capacity demand, Set<String> exclude) {
        boolean any = pool.keySet().stream().anyMatch(n -> !exclude.contains(n));
        if (!any) {
            return "no online node outside maintenance to run on";
        }
        return "no node has " + demand + " free";
    }

    private Optional<String> mostFree(Capacity demand, Set<String> exclude, Map<String, Capacity> used) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (var e : pool.entrySet()) {
            String node = e.getKey();
            if (exclude.contains(node) || !fits(node, demand, used)) {
                continue;
            }
            double score = freeShare(e.getValue(), used.getOrDefault(node, Capacity.NONE).plus(demand));
            if (score > bestScore) { // ties keep the first by name
                best = node;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The mean of the free RAM and free vCPU shares after placing, so nodes of different sizes compare. */
    static double freeShare(Capacity cap, Capacity after) {
        double mem = cap.memMiB() == 0 ? 0 : (double) cap.memLeft(after) / cap.memMiB();
        double cpu = cap.vcpus() == 0 ? 0 : (double) cap.vcpusLeft(after) / cap.vcpus();
        return (mem + cpu) / 2;
    }

    private Optional<String> nextAfterCursor(Capacity demand, Set<String> exclude, Map<String, Capacity> used) {
        SortedMap<String, Capacity> after = cursor == null ? pool : pool.tailMap(cursor + '\0');
        for (SortedMap<String, Capacity> part : java.util.List.of(after, pool)) {
            for (String node : part.keySet()) {
                if (!exclude.contains(node) && fits(node, demand, used)) {
                    return Optional.of(node);
                }
            }
        }
        return Optional.empty();
    }
}
