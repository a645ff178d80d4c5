package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaAuditTest {
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");

    /** Chunks 0 and 1 of v1 on n1+n2, chunk 2 on n2+n3, all at version 1. */
    private static Harness cluster() {
        Harness h = Harness.withStorageCluster(3, 3);
        for (int i = 1; i <= 3; i++) {
            if (i > 1) {
                h.applied(new AssignDiskRole("n" + i, "d2", DiskRole.storage(0, true, false)));
            }
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i, 1L << 40,
                    1L << 39, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(new StoragePolicy("double", 0, FailureDomain.HOST, 2)));
        h.applied(new CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "double", Fixtures.T0));
        long e = Long.parseLong(h.applied(new AcquireLease("v1", "n1", false, Fixtures.T0, 30_000)));
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1, R2)));
        h.applied(new AllocateChunk("v1", 1, e, List.of(R1, R2)));
        h.applied(new AllocateChunk("v1", 2, e, List.of(R2, R3)));
        return h;
    }

    @Test
    void aLostCopyIsFoundAndBecomesARepairWhileVersionDriftIsOnlyReported() {
        Harness h = cluster();
        ReplicaAudit.Report report = ReplicaAudit.run(h.state(), r -> !r.equals(R3), (replica, chunk) -> {
            if (replica.equals(R1) && chunk.index() == 0) {
                return Optional.empty();
            }
            if (replica.equals(R2) && chunk.index() == 1) {
                return Optional.of(0L);
            }
            return Optional.of(chunk.version());
        });

        assertThat(report.replicasChecked()).isEqualTo(5);
        assertThat(report.count(ReplicaAudit.Finding.Kind.MISSING)).isEqualTo(1);
        assertThat(report.count(ReplicaAudit.Finding.Kind.BEHIND)).isEqualTo(1);
        assertThat(RepairPlanner.plan(h.state(), h.state().volume("v1").orElseThrow(), r -> false, r -> false,
                ReplicaAudit.absent("v1", report.findings())))
                .containsExactly(new RepairTask("v1", 0, 1, List.of(R2), List.of(R1), 1));
    }

    @Test
    void servicesThatCannotAnswerAreNotCounted() {
        ReplicaAudit.Report report = ReplicaAudit.run(cluster().state(), r -> true, (replica, chunk) -> {
            throw new IllegalStateException("unreachable");
        });
        assertThat(report.replicasChecked()).isZero();
        assertThat(report.findings()).isEmpty();
    }
}
