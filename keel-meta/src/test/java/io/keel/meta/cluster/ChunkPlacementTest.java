package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.ReleaseNode;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Placement of new chunks, in particular the first copy going to the writer's node (ADR 0012). */
class ChunkPlacementTest {
    private static final long CAPACITY = 100L << 30;
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");
    private static final ChunkReplica R4 = new ChunkReplica("n4", "d2");
    private static final Predicate<ChunkReplica> ALL = r -> true;
    /** Enough seeds that jitter alone would spread chunks over every host. */
    private static final List<Long> SEEDS = LongStream.range(0, 100).boxed().toList();

    /**
     * Seven nodes; n1..n6 in storage cluster "stor1". n1..n4 run a tier-0 chunk service on d2, 50 %
     * used; n5 has no storage disk; n6 only a tier-1 one; n7 is outside the storage cluster.
     * Policies "single" and "triple" (hosts, tier 0).
     */
    private static Harness cluster() {
        Harness h = Harness.withStorageCluster(7, 6);
        for (int i = 1; i <= 4; i++) {
            if (i > 1) {
                h.applied(new AssignDiskRole("n" + i, "d2", DiskRole.storage(0, true, false)));
            }
            used(h, "n" + i, 0.50);
        }
        h.applied(new AssignDiskRole("n6", "d2", DiskRole.storage(1, true, false)));
        used(h, "n6", 0.0);
        h.applied(new CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        h.applied(new CreatePolicy(new StoragePolicy("triple", 0, FailureDomain.HOST, 3)));
        return h;
    }

    /** (Re-)registers the d2 service of {@code node} with {@code fraction} of it in use. */
    private static void used(Harness h, String node, double fraction) {
        int i = Integer.parseInt(node.substring(1));
        h.applied(new RegisterChunkService(new ChunkServiceInfo(node, "d2", "10.0.0." + i, 9900, CAPACITY,
                Math.round(CAPACITY * (1 - fraction)), Fixtures.T0)));
    }

    private static StoragePolicy policy(Harness h, String name) {
        return h.state().policy(name).orElseThrow();
    }

    @Test
    void theWriterGetsTheSingleCopyOfANewChunkEvenWhenSomewhatFuller() {
        Harness h = cluster();
        // Five points fuller than the rest: beyond the jitter, so without a preference n4 never wins.
        used(h, "n4", 0.55);
        ChunkPlacement p = new ChunkPlacement(h.state());
        StoragePolicy single = policy(h, "single");
        for (long seed : SEEDS) {
            assertThat(p.choose(single, 1, List.of(), ALL, seed)).doesNotContain(R4);
            assertThat(p.choose(single, 1, List.of(), ALL, seed, "n4")).containsExactly(R4);
        }
    }

    @Test
    void theWriterGetsTheFirstOfThreeCopiesAndTheOthersGoToDistinctHosts() {
        Harness h = cluster();
        ChunkPlacement p = new ChunkPlacement(h.state());
        StoragePolicy triple = policy(h, "triple");
        Set<ChunkReplica> others = new HashSet<>();
        for (long seed : SEEDS) {
            List<ChunkReplica> chosen = p.choose(triple, 3, List.of(), ALL, seed, "n2");
            assertThat(chosen).hasSize(3).doesNotHaveDuplicates().first().isEqualTo(R2);
            assertThat(chosen).extracting(ChunkReplica::nodeId).doesNotHaveDuplicates();
            assertThat(p.check(chosen, triple)).isEmpty();
            others.addAll(chosen.subList(1, 3));
        }
        // The remaining copies still spread as before rather than always landing on one pair.
        assertThat(others).containsExactlyInAnyOrder(R1, R3, R4);
    }

    @Test
    void aWriterWithoutASuitableDiskGetsNothingAndPlacementFallsBack() {
        Harness h = cluster();
        // n5: a member with no storage disk; n6: only a tier-1 disk; n7: outside the storage cluster;
        // "n9": no such node.
        assertFallsBack(h, "n5", ALL);
        assertFallsBack(h, "n6", ALL);
        assertFallsBack(h, "n7", ALL);
        assertFallsBack(h, "n9", ALL);
        // The caller believes n1 down (heartbeats, failed connections).
        assertFallsBack(h, "n1", r -> !r.nodeId().equals("n1"));
    }

    @Test
    void aWriterInMaintenanceGetsNothing() {
        Harness h = cluster();
        h.applied(new SetMaintenance("n1", true));
        assertFallsBack(h, "n1", ALL);
    }

    @Test
    void aWriterBeingReleasedGetsNothing() {
        Harness h = cluster();
        h.applied(new ReleaseNode("n1", Fixtures.T0));
        assertFallsBack(h, "n1", ALL);
    }

    @Test
    void aWriterWhoseDiskLostItsStorageRoleGetsNothing() {
        Harness h = cluster();
        // The service stays registered until the node stops it; the role is what counts.
        h.applied(new AssignDiskRole("n1", "d2", DiskRole.NONE));
        assertFallsBack(h, "n1", ALL);
    }

    @Test
    void aWriterMuchFullerThanTheBestCandidateIsNotPreferred() {
        Harness h = cluster();
        used(h, "n2", 0.40);
        // Also fuller than n1 and n3 by more than the jitter, so no policy here picks it on its own.
        used(h, "n4", 0.40 + ChunkPlacement.LOCALITY_SLACK + 0.05);
        assertFallsBack(h, "n4", ALL);
        // Just inside the bound, it is.
        used(h, "n4", 0.40 + ChunkPlacement.LOCALITY_SLACK - 0.01);
        ChunkPlacement p = new ChunkPlacement(h.state());
        for (long seed : SEEDS) {
            assertThat(p.choose(policy(h, "single"), 1, List.of(), ALL, seed, "n4")).containsExactly(R4);
        }
    }

    @Test
    void theWritersDiskTakesItsRacksPlaceAndRacksStayDistinct() {
        Harness h = cluster();
        // Racks: n1 and n2 share the default rack, n3 and n4 have one each. n1 is the emptier of the
        // shared rack, so without a preference it would speak for that rack.
        h.applied(new CreateLocation("k2", Location.Type.RACK, "Rack 2", Location.DEFAULT_ROW));
        h.applied(new CreateLocation("k3", Location.Type.RACK, "Rack 3", Location.DEFAULT_ROW));
        h.applied(new MoveNode("n3", "k2"));
        h.applied(new MoveNode("n4", "k3"));
        h.applied(new CreatePolicy(new StoragePolicy("racks", 0, FailureDomain.RACK, 3)));
        used(h, "n1", 0.45);
        ChunkPlacement p = new ChunkPlacement(h.state());
        StoragePolicy racks = policy(h, "racks");
        for (long seed : SEEDS) {
            assertThat(p.choose(racks, 3, List.of(), ALL, seed)).contains(R1).doesNotContain(R2);
            List<ChunkReplica> chosen = p.choose(racks, 3, List.of(), ALL, seed, "n2");
            assertThat(chosen).first().isEqualTo(R2);
            assertThat(chosen).containsExactlyInAnyOrder(R2, R3, R4);
            assertThat(p.check(chosen, racks)).isEmpty();
        }
    }

    @Test
    void aWriterWhoseHostAlreadyHoldsACopyGetsNoSecondOne() {
        Harness h = cluster();
        ChunkPlacement p = new ChunkPlacement(h.state());
        StoragePolicy triple = policy(h, "triple");
        for (long seed : SEEDS) {
            assertThat(p.choose(triple, 2, List.of(R1), ALL, seed, "n1"))
                    .isEqualTo(p.choose(triple, 2, List.of(R1), ALL, seed));
        }
    }

    @Test
    void zeroCopiesAreZeroCopies() {
        Harness h = cluster();
        assertThat(new ChunkPlacement(h.state()).choose(policy(h, "single"), 0, List.of(), ALL, 1, "n1")).isEmpty();
    }

    /** With {@code writer} preferred, every seed places exactly as with no preference, and never on it. */
    @Test
    void withFailureDomainDiskPiecesSpreadOverHostsFirst() {
        Harness h = cluster();
        for (int i = 1; i <= 3; i++) {
            h.applied(new AssignDiskRole("n" + i, "d3", DiskRole.storage(0, true, false)));
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d3", "10.0.0." + i, 9901, CAPACITY,
                    CAPACITY / 2, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(StoragePolicy.erasureCoded("ec32", 0, FailureDomain.DISK, 3, 2)));
        for (long seed : SEEDS) {
            List<ChunkReplica> five = new ChunkPlacement(h.state()).choose(policy(h, "ec32"), 5, List.of(), ALL, seed,
                    "n1");
            assertThat(five).hasSize(5);
            // Seven disks on four hosts (n4 has one): no host takes a second piece before each has one.
            java.util.Map<String, Long> perHost = five.stream()
                    .collect(java.util.stream.Collectors.groupingBy(ChunkReplica::nodeId, java.util.stream.Collectors.counting()));
            assertThat(perHost).as("seed %d: %s", seed, five).hasSize(4);
            assertThat(perHost.values()).allMatch(n -> n <= 2);
        }
    }

    private static void assertFallsBack(Harness h, String writer, Predicate<ChunkReplica> usable) {
        ChunkPlacement p = new ChunkPlacement(h.state());
        for (String name : List.of("single", "triple")) {
            StoragePolicy policy = policy(h, name);
            for (long seed : SEEDS) {
                List<ChunkReplica> chosen = p.choose(policy, policy.pieces(), List.of(), usable, seed, writer);
                assertThat(chosen).as("%s, seed %d, writer %s", name, seed, writer)
                        .isNotEmpty()
                        .isEqualTo(p.choose(policy, policy.pieces(), List.of(), usable, seed))
                        .extracting(ChunkReplica::nodeId).doesNotContain(writer);
            }
        }
    }
}
