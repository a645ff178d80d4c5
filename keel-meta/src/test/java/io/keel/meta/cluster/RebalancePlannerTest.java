package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");
    private static final ChunkReplica R4 = new ChunkReplica("n4", "d2");

    /** Four hosts; eight 2-replica chunks all on n1 and n2, as after n3 and n4 joined. */
    private static Harness crowded() {
        Harness h = Harness.withStorageCluster(4, 4);
        for (int i = 1; i <= 4; i++) {
            if (i > 1) {
                h.applied(new AssignDiskRole("n" + i, "d2", DiskRole.storage(0, true, false)));
            }
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i, 1L << 40,
                    1L << 39, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(new StoragePolicy("double", 0, FailureDomain.HOST, 2)));
        h.applied(new CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "double", Fixtures.T0));
        long e = Long.parseLong(h.applied(new AcquireLease("v1", "n1", false, Fixtures.T0, 30_000)));
        for (int i = 0; i < 8; i++) {
            h.applied(new AllocateChunk("v1", i, e, List.of(R1, R2)));
        }
        return h;
    }

    @Test
    void replicasMoveFromCrowdedToEmptyServicesUntilEven() {
        Harness h = crowded();
        List<RebalancePlanner.Move> moves = RebalancePlanner.plan(h.state(), r -> true, 100);

        Map<ChunkReplica, Integer> after = new HashMap<>(Map.of(R1, 8, R2, 8, R3, 0, R4, 0));
        for (RebalancePlanner.Move m : moves) {
            after.merge(m.from(), -1, Integer::sum);
            after.merge(m.to(), 1, Integer::sum);
            assertThat(List.of(R3, R4)).contains(m.to());
        }
        assertThat(after.values()).allSatisfy(n -> assertThat(n).isBetween(3, 5));
        // No chunk ends with both copies on one host.
        Map<Long, List<ChunkReplica>> placed = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            placed.put((long) i, new java.util.ArrayList<>(List.of(R1, R2)));
        }
        for (RebalancePlanner.Move m : moves) {
            placed.get(m.index()).remove(m.from());
            placed.get(m.index()).add(m.to());
        }
        placed.values().forEach(rs -> assertThat(rs.stream().map(ChunkReplica::nodeId).distinct()).hasSize(2));
    }

    @Test
    void anEvenClusterAndDeadServicesGetNoMoves() {
        Harness h = crowded();
        assertThat(RebalancePlanner.plan(h.state(), r -> r.nodeId().equals("n1") || r.nodeId().equals("n2"), 100))
                .isEmpty();
        assertThat(RebalancePlanner.plan(h.state(), r -> true, 0)).isEmpty();
    }

    @Test
    void theMoveLimitHolds() {
        assertThat(RebalancePlanner.plan(crowded().state(), r -> true, 3)).hasSize(3);
    }
}
