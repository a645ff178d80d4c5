package io.keel.meta.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Evens out chunk replicas across the chunk services of each tier after disks or nodes were added:
 * proposes moving replicas from the service holding the most chunks for its capacity to the one
 * holding the fewest, as long as the move keeps the policy's failure domains apart. Counts come
 * from the chunk maps, not from reported free space, so a plan never chases figures that are
 * minutes old, and moving stops once the two ends differ by less than {@code slack} chunks' worth.
 * Copies on a volume's home node are pinned within {@link ChunkPlacement#LOCALITY_SLACK}, so the
 * balance locality costs is not undone (see {@code pinned}). Pure and deterministic, like
 * {@link RepairPlanner}.
 */
public final class RebalancePlanner {
    /** Move one replica of chunk {@code index} of {@code volumeId} from {@code from} to {@code to}. */
    public record Move(String volumeId, long index, ChunkReplica from, ChunkReplica to) {
        public Move {
            Objects.requireNonNull(volumeId, "volumeId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** Imbalance (in chunks, scaled to the emptier service's capacity) below which nothing moves. */
    public static final int SLACK = 2;

    private RebalancePlanner() {}

    /**
     * Up to {@code maxMoves} moves; {@code usable} tells which services are alive now. Volumes
     * whose chunks still need repair should be left to {@link RepairPlanner} first: the caller
     * plans rebalancing only when no repair is pending.
     */
    public static List<Move> plan(ClusterState state, Predicate<ChunkReplica> usable, int maxMoves) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(usable, "usable");
        ChunkPlacement placement = new ChunkPlacement(state);
        Map<ChunkReplica, Long> capacity = new HashMap<>();
        for (ChunkServiceInfo s : state.chunkServices()) {
            if (usable.test(s.replica()) && s.capacityBytes() > 0) {
                capacity.put(s.replica(), s.capacityBytes());
            }
        }
        Map<ChunkReplica, List<Held>> held = new HashMap<>();
        capacity.keySet().forEach(r -> held.put(r, new ArrayList<>()));
        for (Volume v : state.volumes()) {
            Optional<StoragePolicy> policy = state.policy(v.policy());
            // Moves are planned for replicas only: a fragment moves by being rebuilt (ADR 0051).
            if (policy.isEmpty() || policy.get().erasureCoded()) {
                continue;
            }
            for (ChunkRecord r : state.chunks(v.id())) {
                if (!r.storageId().equals(v.storageId())) {
                    // Shared with a snapshot or origin: its copies serve several maps, so it stays put.
                    continue;
                }
                for (ChunkReplica replica : r.replicas()) {
                    List<Held> list = held.get(replica);
                    if (list != null) {
                        list.add(new Held(v, policy.get(), r));
                    }
                }
            }
        }
        List<Move> moves = new ArrayList<>();
        Set<String> moved = new HashSet<>();
        while (moves.size() < maxMoves) {
            Optional<Move> next = nextMove(placement, capacity, held, moved);
            if (next.isEmpty()) {
                break;
            }
            Move m = next.get();
            moves.add(m);
            moved.add(m.volumeId() + "/" + m.index());
            Held h = held.get(m.from()).stream().filter(x -> x.volume().id().equals(m.volumeId())
                    && x.chunk().index() == m.index()).findFirst().orElseThrow();
            held.get(m.from()).remove(h);
            held.get(m.to()).add(h);
        }
        return List.copyOf(moves);
    }

    private record Held(Volume volume, StoragePolicy policy, ChunkRecord chunk) {}

    /**
     * A move from the fullest service that has a movable copy to the emptiest service that may
     * take it, or empty once no pair is {@code SLACK} apart. Not just the single fullest and
     * emptiest: a home node (or a disk whose copies all break failure domains) can be the fullest
     * for good, and the emptiest disk can sit in the same failure domain as every copy that would
     * go there; neither must stop the others from evening out.
     */
    private static Optional<Move> nextMove(ChunkPlacement placement, Map<ChunkReplica, Long> capacity,
            Map<ChunkReplica, List<Held>> held, Set<String> moved) {
        // Ties go to the first by name at both ends, so equal states give equal plans on every node.
        Comparator<ChunkReplica> byName = Comparator.comparing(ChunkReplica::toString);
        Comparator<ChunkReplica> byLoad = Comparator.comparingDouble((ChunkReplica r) -> load(r, capacity, held));
        List<ChunkReplica> emptiestFirst = capacity.keySet().stream().sorted(byLoad.thenComparing(byName)).toList();
        List<ChunkReplica> fullestFirst = capacity.keySet().stream().sorted(byLoad.reversed().thenComparing(byName)).toList();
        for (ChunkReplica from : fullestFirst) {
            for (ChunkReplica to : emptiestFirst) {
                double over = load(from, capacity, held) - load(to, capacity, held);
                if (over * capacity.get(to) < SLACK) {
                    break; // the remaining targets are fuller still
                }
                for (Held h : held.get(from)) {
                    if (!moved.contains(h.volume().id() + "/" + h.chunk().index()) && !pinned(h, from, to, over)
                            && allowed(placement, h, to)) {
                        return Optional.of(new Move(h.volume().id(), h.chunk().index(), from, to));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the copy of {@code h} on {@code from} stays because {@code from} is on the volume's
     * home node, where its writer reads it without the network (ADR 0012). Locality gives way to
     * balance beyond {@link ChunkPlacement#LOCALITY_SLACK}, the margin placement allows a writer's
     * disks: {@code over} is how many more chunks per byte of capacity {@code from} holds than the
     * target, and times the chunk size it becomes how much larger a share of its disk those chunks
     * fill, the measure of that margin (counted from chunks held, as all of this planner is, not
     * from reported free space). Moving the copy to another disk of the home node keeps it local,
     * so that is never held back.
     */
    private static boolean pinned(Held h, ChunkReplica from, ChunkReplica to, double over) {
        String home = h.volume().home();
        return home != null && home.equals(from.nodeId()) && !home.equals(to.nodeId())
                && over * h.volume().chunkSize() <= ChunkPlacement.LOCALITY_SLACK;
    }

    /** The target must suit the policy and sit in a failure domain none of the chunk's copies uses. */
    private static boolean allowed(ChunkPlacement placement, Held h, ChunkReplica to) {
        if (h.chunk().replicas().contains(to) || placement.unusable(to, h.policy()).isPresent()) {
            return false;
        }
        FailureDomain fd = h.policy().failureDomain();
        Optional<String> target = placement.domainOf(to, fd);
        if (target.isEmpty()) {
            return false;
        }
        // The new copy is built before the old one is dropped, and copies never share a failure
        // domain, so a move cannot stay inside the domain of the copy it replaces (another disk
        // of the same host under a host policy): the mover would place the copy elsewhere.
        for (ChunkReplica other : h.chunk().replicas()) {
            if (placement.domainOf(other, fd).equals(target)) {
                return false;
            }
        }
        return true;
    }

    private static double load(ChunkReplica r, Map<ChunkReplica, Long> capacity, Map<ChunkReplica, List<Held>> held) {
        return held.get(r).size() / (double) capacity.get(r);
    }
}
