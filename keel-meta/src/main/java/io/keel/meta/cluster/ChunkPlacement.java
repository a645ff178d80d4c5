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
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where the pieces of one chunk may go under a policy. Choosing needs liveness, which only the
 * nodes know, so the writer chooses ({@link #choose}) and the replicated logic re-checks the
 * choice ({@link #check}) against the state it applies to: the same rules, one implementation.
 */
public final class ChunkPlacement {
    private final ClusterState state;
    private final Map<String, Location> locations;
    private final Map<String, NodeRecord> nodes;

    public ChunkPlacement(ClusterState state) {
        this.state = Objects.requireNonNull(state, "state");
        this.locations = state.locations().stream().collect(Collectors.toMap(Location::id, Function.identity()));
        this.nodes = state.nodes().stream().collect(Collectors.toMap(NodeRecord::id, Function.identity()));
    }

    /** The failure domain {@code replica} falls in, or empty if its node or location is unknown. */
    public Optional<String> domainOf(ChunkReplica replica, FailureDomain domain) {
        NodeRecord n = nodes.get(replica.nodeId());
        if (n == null) {
            return Optional.empty();
        }
        return switch (domain) {
            case DISK -> Optional.of(replica.nodeId() + "/" + replica.diskId());
            case HOST -> Optional.of(replica.nodeId());
            default -> ancestor(n.rackId(), domain);
        };
    }

    /** Why {@code replica} cannot hold data of {@code policy}, or empty when it can. */
    public Optional<String> unusable(ChunkReplica replica, StoragePolicy policy) {
        NodeRecord n = nodes.get(replica.nodeId());
        if (n == null) {
            return Optional.of("node " + Names.quote(replica.nodeId()) + " does not exist");
        }
        if (!n.inCluster()) {
            return Optional.of("node " + Checks.describe(n) + " is not in the storage cluster");
        }
        if (state.releasing(n.id())) {
            return Optional.of("node " + Checks.describe(n) + " is being released");
        }
        DiskRole role = n.roleOf(replica.diskId());
        if (role.type() != DiskRole.Type.STORAGE) {
            return Optional.of("disk " + Names.quote(replica.diskId()) + " of node " + Checks.describe(n)
                    + " has no storage role");
        }
        if (role.tier() != policy.tier()) {
            return Optional.of("disk " + Names.quote(replica.diskId()) + " of node " + Checks.describe(n)
                    + " is tier " + role.tier() + ", policy " + Names.quote(policy.name()) + " needs tier " + policy.tier());
        }
        if (state.chunkService(replica.nodeId(), replica.diskId()).isEmpty()) {
            return Optional.of("disk " + Names.quote(replica.diskId()) + " of node " + Checks.describe(n)
                    + " runs no registered chunk service");
        }
        if (domainOf(replica, policy.failureDomain()).isEmpty()) {
            return Optional.of("node " + Checks.describe(n) + " is in no " + policy.failureDomain().label());
        }
        return Optional.empty();
    }

    /**
     * Why {@code r} does not fit the shape of {@code policy}: an erasure-coded policy's pieces are
     * numbered fragments 0 to M+N-1, a replicated policy's are whole copies.
     */
    public Optional<String> fragmentProblem(ChunkReplica r, StoragePolicy policy) {
        if (policy.erasureCoded() != (r.fragment() != null)) {
            return Optional.of(policy.erasureCoded()
                    ? "policy " + Names.quote(policy.name()) + " is erasure-coded: replica " + r + " names no fragment"
                    : "policy " + Names.quote(policy.name()) + " is replicated: replica " + r + " names a fragment");
        }
        if (r.fragment() != null && r.fragment() >= policy.pieces()) {
            return Optional.of("fragment " + r.fragment() + " is outside " + policy.redundancy().label());
        }
        return Optional.empty();
    }

    /**
     * Why {@code replicas} is not a valid replica set for {@code policy}, or empty: 1 to
     * {@code policy.pieces()} usable replicas, no two in one failure domain. Fewer than the policy
     * asks for is allowed (a chunk may be born degraded while a domain is down; healing adds the rest).
     */
    public Optional<String> check(List<ChunkReplica> replicas, StoragePolicy policy) {
        if (replicas == null || replicas.isEmpty()) {
            return Optional.of("a chunk needs at least one replica");
        }
        if (replicas.size() > policy.pieces()) {
            return Optional.of("policy " + Names.quote(policy.name()) + " keeps " + policy.pieces()
                    + " replicas per chunk, " + replicas.size() + " were given");
        }
        Set<String> domains = new HashSet<>();
        Set<Integer> fragments = new HashSet<>();
        for (ChunkReplica r : replicas) {
            if (r == null) {
                return Optional.of("a replica is missing its node and disk");
            }
            Optional<String> bad = fragmentProblem(r, policy);
            if (bad.isPresent()) {
                return bad;
            }
            if (r.fragment() != null && !fragments.add(r.fragment())) {
                return Optional.of("fragment " + r.fragment() + " is given twice");
            }
            Optional<String> why = unusable(r, policy);
            if (why.isPresent()) {
                return why;
            }
            String d = domainOf(r, policy.failureDomain()).orElseThrow();
            if (!domains.add(d)) {
                return Optional.of("two replicas share " + policy.failureDomain().label() + " " + Names.quote(d)
                        + " (policy " + Names.quote(policy.name()) + " keeps replicas in distinct "
                        + policy.failureDomain().label() + "s)");
            }
        }
        return Optional.empty();
    }

    /**
     * How much fuller (as a share of the disk, 0 to 1) the preferred node's disk may be than the
     * best-ranked candidate and still take the first copy of a chunk. Above the 0.05 of jitter in
     * the ranking and the few points by which reported free space lags (services re-report after
     * max(1 GiB, 2 %) or five minutes), so locality wins whenever the writer's disk is about as
     * full as the rest; small enough to bound the imbalance it causes: a writer stops placing on
     * its own disks once they are 10 points fuller than the best-ranked candidate, which is within
     * the jitter of the emptiest, so at most 15 points fuller than that.
     */
    public static final double LOCALITY_SLACK = 0.10;

    /**
     * Up to {@code count} more replicas for a chunk that has {@code existing}, each in a failure
     * domain none of the others uses, on disks {@code usable} accepts (the caller's view of which
     * services are alive). Emptier disks win; {@code seed} (volume and chunk) breaks near-ties so
     * that equal disks share the load instead of one taking every chunk. Returns fewer when the
     * cluster has fewer suitable domains.
     */
    public List<ChunkReplica> choose(StoragePolicy policy, int count, List<ChunkReplica> existing,
            Predicate<ChunkReplica> usable, long seed) {
        return choose(policy, count, existing, usable, seed, null);
    }

    /**
     * As {@link #choose(StoragePolicy, int, List, Predicate, long)}, but the first replica goes to
     * the emptiest suitable disk of {@code preferredNodeId} (the writer: its reads and, for one-copy
     * policies, its writes then stay off the network) when that node has one in a free failure
     * domain and it is at most {@link #LOCALITY_SLACK} fuller than the best candidate; the others
     * follow the usual order in the remaining domains. {@code preferredNodeId} null means no
     * preference. Whether to prefer (only new chunks, say) is the caller's decision.
     */
    public List<ChunkReplica> choose(StoragePolicy policy, int count, List<ChunkReplica> existing,
            Predicate<ChunkReplica> usable, long seed, String preferredNodeId) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(usable, "usable");
        Set<String> taken = new HashSet<>();
        for (ChunkReplica r : existing) {
            domainOf(r, policy.failureDomain()).ifPresent(taken::add);
        }
        Comparator<Candidate> order = Comparator.comparingDouble((Candidate c) -> score(c.service(), seed))
                .thenComparing(c -> c.service().nodeId() + "/" + c.service().diskId());
        List<Candidate> candidates = new ArrayList<>();
        for (ChunkServiceInfo s : state.chunkServices()) {
            ChunkReplica r = s.replica();
            if (existing.stream().anyMatch(e -> e.service().equals(r)) || !usable.test(r) || unusable(r, policy).isPresent()) {
                continue;
            }
            if (nodes.get(r.nodeId()).maintenance()) {
                continue;
            }
            String d = domainOf(r, policy.failureDomain()).orElseThrow();
            if (!taken.contains(d)) {
                candidates.add(new Candidate(s, d));
            }
        }
        // Best candidate per free domain, domains in a stable order.
        Map<String, Candidate> best = new TreeMap<>();
        for (Candidate c : candidates) {
            best.merge(c.domain(), c, (a, b) -> order.compare(a, b) <= 0 ? a : b);
        }
        List<Candidate> ranked = new ArrayList<>(best.values());
        ranked.sort(order);
        if (preferredNodeId != null && !ranked.isEmpty()) {
            // The node's own disk need not be the best of its domain (a rack, say), so it is looked
            // for among all candidates, then takes its domain's place at the head of the list.
            double bar = ranked.getFirst().service().usedFraction() + LOCALITY_SLACK;
            candidates.stream()
                    .filter(c -> c.service().nodeId().equals(preferredNodeId) && c.service().usedFraction() <= bar)
                    .min(order)
                    .ifPresent(local -> {
                        ranked.removeIf(c -> c.domain().equals(local.domain()));
                        ranked.addFirst(local);
                    });
        }
        List<Candidate> picked = policy.failureDomain() == FailureDomain.DISK ? spreadOverHosts(ranked, existing)
                : ranked;
        return picked.stream().limit(Math.max(0, count)).map(c -> c.service().replica()).toList();
    }

    /**
     * The candidates reordered so that each next piece goes to a host holding the fewest pieces
     * so far (the rank decides among those): with failure domain disk nothing forbids two pieces
     * on one host, but a host going down should take as few as the disks allow, so that an M+N
     * chunk on 3 hosts of 2 disks survives any one host (2+2+1 pieces, not 2+2+... or 3+1+1).
     */
    private static List<Candidate> spreadOverHosts(List<Candidate> ranked, List<ChunkReplica> existing) {
        Map<String, Integer> perHost = new HashMap<>();
        existing.forEach(r -> perHost.merge(r.nodeId(), 1, Integer::sum));
        List<Candidate> left = new ArrayList<>(ranked);
        List<Candidate> out = new ArrayList<>();
        while (!left.isEmpty()) {
            Candidate next = left.getFirst();
            for (Candidate c : left) {
                if (perHost.getOrDefault(c.service().nodeId(), 0) < perHost.getOrDefault(next.service().nodeId(), 0)) {
                    next = c;
                }
            }
            left.remove(next);
            out.add(next);
            perHost.merge(next.service().nodeId(), 1, Integer::sum);
        }
        return out;
    }

    /** A disk that may take a copy, with the failure domain it would use up. */
    private record Candidate(ChunkServiceInfo service, String domain) {}

    /** Fullness plus up to 5 percentage points of seeded jitter. */
    private static double score(ChunkServiceInfo s, long seed) {
        long h = mix(seed ^ mix((s.nodeId() + "/" + s.diskId()).hashCode()));
        double jitter = (h >>> 11) * 0x1.0p-53 * 0.05;
        return s.usedFraction() + jitter;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private Optional<String> ancestor(String rackId, FailureDomain domain) {
        Location.Type wanted = switch (domain) {
            case RACK -> Location.Type.RACK;
            case ROW -> Location.Type.ROW;
            default -> Location.Type.ROOM;
        };
        Location l = rackId == null ? null : locations.get(rackId);
        while (l != null && l.type() != wanted) {
            l = l.parentId() == null ? null : locations.get(l.parentId());
        }
        return Optional.ofNullable(l).map(Location::id);
    }
}
