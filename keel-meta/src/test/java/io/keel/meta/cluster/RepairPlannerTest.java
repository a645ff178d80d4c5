package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.SetVolumePolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepairPlannerTest {
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");
    private static final ChunkReplica R4 = new ChunkReplica("n4", "d2");

    /** Four hosts with a chunk service each; volume v1 (policy "double") has chunks 0 on n1+n2 and 1 on n3+n4. */
    private static Harness cluster() {
        Harness h = Harness.withStorageCluster(4, 4);
        for (int i = 1; i <= 4; i++) {
            if (i > 1) {
                h.applied(new AssignDiskRole("n" + i, "d2", DiskRole.storage(0, true, false)));
            }
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i, 1L << 40,
                    1L << 39, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(new StoragePolicy("double", 0, FailureDomain.HOST, 2)));
        h.applied(new CreatePolicy(new StoragePolicy("triple", 0, FailureDomain.HOST, 3)));
        h.applied(new CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        h.applied(new CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "double", Fixtures.T0));
        long e = Long.parseLong(h.applied(new AcquireLease("v1", "n1", false, Fixtures.T0, 30_000)));
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1, R2)));
        h.applied(new AllocateChunk("v1", 1, e, List.of(R3, R4)));
        return h;
    }

    private static List<RepairTask> plan(Harness h, Set<ChunkReplica> gone, Set<ChunkReplica> down) {
        return RepairPlanner.plan(h.state(), h.state().volume("v1").orElseThrow(), gone::contains, down::contains);
    }

    @Test
    void aHealthyVolumeNeedsNothing() {
        assertThat(plan(cluster(), Set.of(), Set.of())).isEmpty();
    }

    @Test
    void aReplicaDownWithinTheGracePeriodIsNotRepairedYet() {
        assertThat(plan(cluster(), Set.of(), Set.of(R2))).isEmpty();
    }

    @Test
    void aReplicaGonePastTheGracePeriodIsReplacedFromTheSurvivor() {
        assertThat(plan(cluster(), Set.of(R2), Set.of(R2)))
                .containsExactly(new RepairTask("v1", 0, 1, List.of(R1), List.of(R2), 1));
    }

    @Test
    void aPolicyWithMoreReplicasAddsAndOneWithFewerDrops() {
        Harness h = cluster();
        h.applied(new SetVolumePolicy("v1", "triple"));
        assertThat(plan(h, Set.of(), Set.of())).extracting(RepairTask::missing).containsExactly(1, 1);
        h.applied(new SetVolumePolicy("v1", "single"));
        assertThat(plan(h, Set.of(), Set.of()))
                .containsExactly(new RepairTask("v1", 0, 1, List.of(R1, R2), List.of(R2), 0),
                        new RepairTask("v1", 1, 1, List.of(R3, R4), List.of(R4), 0));
    }

    @Test
    void releasingANodeMovesItsReplicasButRefusesToBreakAPolicy() {
        Harness h = cluster();
        h.applied(new ClusterCommand.ReleaseNode("n2", Fixtures.T0));
        // n2's replica is still a source; it is dropped after a new copy elsewhere exists.
        assertThat(plan(h, Set.of(), Set.of()))
                .containsExactly(new RepairTask("v1", 0, 1, List.of(R1, R2), List.of(R2), 1));
        assertThat(new ChunkPlacement(h.state()).choose(h.state().policy("double").orElseThrow(), 1, List.of(R1),
                r -> true, 7)).doesNotContain(R2).hasSize(1);
        h.applied(new ClusterCommand.ReleaseNode("n3", Fixtures.T0));
        // Two of four hosts left: a third release would leave "double" with one host.
        assertThat(h.rejected(new ClusterCommand.ReleaseNode("n4", Fixtures.T0), RejectionCodes.CONFLICT))
                .contains("would break redundancy").contains("policy \"double\" needs 2 hosts");
        h.applied(new ClusterCommand.CancelRelease("n3"));
        h.rejected(new ClusterCommand.CancelRelease("n3"), RejectionCodes.NOT_FOUND);
    }

    @Test
    void aMovedReplicaIsAddedBeforeTheOldOneGoes() {
        Harness h = cluster();
        long e = h.state().volume("v1").orElseThrow().epoch();
        h.applied(new ClusterCommand.ReleaseNode("n2", Fixtures.T0));
        h.applied(new ClusterCommand.AddReplica("v1", 0, e, 1, R3));
        assertThat(h.state().chunk("v1", 0).orElseThrow().replicas()).containsExactly(R1, R2, R3);
        h.rejected(new ClusterCommand.AddReplica("v1", 0, e, 2, R4), RejectionCodes.CONFLICT);
        h.applied(new ClusterCommand.DropReplica("v1", 0, e, 2, R2));
        assertThat(plan(h, Set.of(), Set.of())).isEmpty();
    }

    /** Chunk 0 on R1, R2 and R3 under "double": a rebalancing move cut short by a node's death. */
    private static Harness withSurplusCopy() {
        Harness h = cluster();
        long e = h.state().volume("v1").orElseThrow().epoch();
        h.applied(new ClusterCommand.AddReplica("v1", 0, e, 1, R3));
        return h;
    }

    @Test
    void aSurplusCopyDropsTheOneTheAuditFoundMissingNotAGoodOne() {
        Harness h = withSurplusCopy();
        assertThat(plan(h, Set.of(), Set.of())).containsExactly(new RepairTask("v1", 0, 2, List.of(R1, R2, R3),
                List.of(R3), 0));
        // R2's disk was wiped: dropping R3 instead would need R2 fenced, which never succeeds.
        assertThat(RepairPlanner.plan(h.state(), h.state().volume("v1").orElseThrow(), r -> false, r -> false,
                (chunk, replica) -> chunk.index() == 0 && replica.equals(R2)))
                .containsExactly(new RepairTask("v1", 0, 2, List.of(R1, R3), List.of(R2), 0));
    }

    @Test
    void aSurplusCopyDropsOneThatCannotAnswerBeforeOneThatCan() {
        assertThat(plan(withSurplusCopy(), Set.of(), Set.of(R1)))
                .containsExactly(new RepairTask("v1", 0, 2, List.of(R2, R3), List.of(R1), 0));
    }
}
