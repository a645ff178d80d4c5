package io.keel.ha.crm;

import io.keel.ha.Capacity;
import io.keel.ha.RelocationMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

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
        return choose(demand, Set.of(), exclude, used);
    }

    /**
     * The node for {@code demand} among {@code allowed} (empty: any node of the pool), excluding
     * {@code exclude}; empty when none has room. Both modes only ever look at candidates, so a
     * restricted resource never lands outside its set however empty the other nodes are.
     */
    public Optional<String> choose(Capacity demand, Set<String> allowed, Set<String> exclude,
            Map<String, Capacity> used) {
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(exclude, "exclude");
        Predicate<String> candidate = n -> !exclude.contains(n) && (allowed.isEmpty() || allowed.contains(n));
        Optional<String> chosen = mode == RelocationMode.DRS ? mostFree(demand, candidate, used)
                : nextAfterCursor(demand, candidate, used);
        if (mode == RelocationMode.ROUND_ROBIN) {
            chosen.ifPresent(n -> cursor = n);
        }
        return chosen;
    }

    /** Why {@link #choose} found nothing, in words for the resource's waiting state. */
    public String noRoomReason(Capacity demand, Set<String> exclude) {
        return noRoomReason(demand, Set.of(), exclude);
    }

    /**
     * Why {@link #choose(Capacity, Set, Set, Map)} found nothing. A restricted resource's reason
     * names its nodes, since the administrator must know which ones to bring back.
     */
    public String noRoomReason(Capacity demand, Set<String> allowed, Set<String> exclude) {
        boolean any = pool.keySet().stream()
                .anyMatch(n -> !exclude.contains(n) && (allowed.isEmpty() || allowed.contains(n)));
        if (allowed.isEmpty()) {
            return any ? "no node has " + demand + " free" : "no online node outside maintenance to run on";
        }
        String names = String.join(", ", new TreeSet<>(allowed));
        if (any) {
            return "may run only on " + names + (allowed.size() == 1 ? ", which does not have " : " and none of them has ")
                    + demand + " free";
        }
        // Excluded: the node being evacuated or the one it failed on, so "the others" are the rest of the set.
        if (exclude.containsAll(allowed)) {
            return "may run only on " + names + " and no other node is allowed";
        }
        if (allowed.stream().anyMatch(exclude::contains)) {
            return "may run only on " + names + " and none of the others is available";
        }
        return "may run only on " + names + (allowed.size() == 1 ? ", which is not" : " and none of them is")
                + " online outside maintenance";
    }

    private Optional<String> mostFree(Capacity demand, Predicate<String> candidate, Map<String, Capacity> used) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (var e : pool.entrySet()) {
            String node = e.getKey();
            if (!candidate.test(node) || !fits(node, demand, used)) {
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

    private Optional<String> nextAfterCursor(Capacity demand, Predicate<String> candidate, Map<String, Capacity> used) {
        SortedMap<String, Capacity> after = cursor == null ? pool : pool.tailMap(cursor + '\0');
        for (SortedMap<String, Capacity> part : java.util.List.of(after, pool)) {
            for (String node : part.keySet()) {
                if (candidate.test(node) && fits(node, demand, used)) {
                    return Optional.of(node);
                }
            }
        }
        return Optional.empty();
    }
}
