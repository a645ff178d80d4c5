package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Finds the chunks that need work: replicas on services gone longer than the grace period,
 * replicas the volume's policy no longer allows (after a policy change), and chunks with fewer
 * replicas than the policy asks for. Pure: the caller says which replicas count as gone, so the
 * same planning runs in tests without clocks or processes.
 */
public final class RepairPlanner {

    private RepairPlanner() {}

    /**
     * @param gone true for a replica whose service has been missing longer than the grace period
     * @param down true for a replica whose service is missing now (still within the grace
     *     period, or gone); such a replica can serve as no source
     */
    public static List<RepairTask> plan(ClusterState state, Volume volume, Predicate<ChunkReplica> gone,
            Predicate<ChunkReplica> down) {
        return plan(state, volume, gone, down, (chunk, replica) -> false);
    }

    /**
     * As {@link #plan(ClusterState, Volume, Predicate, Predicate)}, where {@code absent} also names
     * copies known to be missing from their disk (the replica audit's findings): such a
     * copy is lost at once and serves as no source. It must be the copy a chunk with one too many
     * loses; dropping another would need the absent one fenced, which never succeeds.
     */
    public static List<RepairTask> plan(ClusterState state, Volume volume, Predicate<ChunkReplica> gone,
            Predicate<ChunkReplica> down, BiPredicate<ChunkRecord, ChunkReplica> absent) {
        Objects.requireNonNull(absent, "absent");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(volume, "volume");
        Optional<StoragePolicy> policy = state.policy(volume.policy());
        if (policy.isEmpty()) {
            return List.of();
        }
        // Pieces: replicas, or the M+N fragments of an erasure-coded chunk, which its handle
        // rebuilds by decoding from M survivors (ADR 0051). Fragments are each one of a kind, so
        // an erasure-coded chunk never has one too many.
        int pieces = policy.get().pieces();
        int needed = policy.get().erasureCoded() ? policy.get().ec().data() : 1;
        ChunkPlacement placement = new ChunkPlacement(state);
        List<RepairTask> tasks = new ArrayList<>();
        for (ChunkRecord r : state.chunks(volume.id())) {
            List<ChunkReplica> lost = new ArrayList<>();
            List<ChunkReplica> sources = new ArrayList<>();
            for (ChunkReplica replica : r.replicas()) {
                boolean isGone = gone.test(replica) || absent.test(r, replica);
                // A replica the policy no longer allows (released node, other tier) still serves as a source.
                if (!isGone && !down.test(replica)) {
                    sources.add(replica);
                }
                if (isGone || placement.unusable(replica, policy.get()).isPresent()) {
                    lost.add(replica);
                }
            }
            lost.addAll(surplusDomains(placement, r.replicas(), lost, policy.get()));
            int keep = r.replicas().size() - lost.size();
            int missing = Math.max(0, pieces - keep);
            boolean tooMany = keep > pieces;
            if (lost.isEmpty() && missing == 0 && !tooMany) {
                continue;
            }
            if (tooMany) {
                // A policy with fewer replicas, or a move cut short: drop the surplus, last ones
                // first, but copies that cannot answer now before any that can (they need no fencing).
                List<ChunkReplica> kept = new ArrayList<>(r.replicas());
                kept.removeAll(lost);
                kept.sort(java.util.Comparator.comparing(down::test));
                for (int i = kept.size() - 1; i >= pieces; i--) {
                    lost.add(kept.get(i));
                }
            }
            // Too few survivors to decode from: planned with no sources, so the healer waits for one.
            tasks.add(new RepairTask(volume.id(), r.index(), r.version(),
                    sources.size() >= needed ? sources : List.of(), lost, missing));
        }
        return List.copyOf(tasks);
    }

    /** Replicas that share a failure domain with an earlier one, e.g. after a stricter policy. */
    private static List<ChunkReplica> surplusDomains(ChunkPlacement placement, List<ChunkReplica> replicas,
            List<ChunkReplica> alreadyLost, StoragePolicy policy) {
        List<String> seen = new ArrayList<>();
        List<ChunkReplica> surplus = new ArrayList<>();
        for (ChunkReplica replica : replicas) {
            if (alreadyLost.contains(replica)) {
                continue;
            }
            Optional<String> d = placement.domainOf(replica, policy.failureDomain());
            if (d.isPresent() && seen.contains(d.get())) {
                surplus.add(replica);
            }
            d.ifPresent(seen::add);
        }
        return surplus;
    }
}
