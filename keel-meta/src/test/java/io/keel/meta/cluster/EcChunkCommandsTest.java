package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AddReplica;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DropReplica;
import io.keel.meta.cluster.ClusterCommand.MarkChunkDirty;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.SetVolumePolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk maps of erasure-coded volumes: numbered fragments in distinct domains, dirty marks (ADR 0051). */
class EcChunkCommandsTest {
    private static final long GIB = 1L << 30;
    private static final int CHUNK = 4 << 20;

    /** Five hosts with a tier-0 chunk service each, policy "ec32" (3+2, host) and volume v1 on it. */
    private static Harness cluster() {
        Harness h = Harness.withStorageCluster(5, 5);
        for (int i = 2; i <= 5; i++) {
            h.applied(new AssignDiskRole("n" + i, "d2", DiskRole.storage(0, true, false)));
        }
        for (int i = 1; i <= 5; i++) {
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i,
                    100L << 30, 50L << 30, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(StoragePolicy.erasureCoded("ec32", 0, FailureDomain.HOST, 3, 2)));
        h.applied(new CreatePolicy(StoragePolicy.erasureCoded("ec41", 0, FailureDomain.HOST, 4, 1)));
        h.applied(new CreatePolicy(new StoragePolicy("triple", 0, FailureDomain.HOST, 3)));
        h.applied(new CreateVolume("v1", "ec-disk", GIB, CHUNK, "ec32", Fixtures.T0));
        return h;
    }

    private static ChunkReplica fragment(int node, int f) {
        return new ChunkReplica("n" + node, "d2", f);
    }

    private static List<ChunkReplica> stripe() {
        List<ChunkReplica> out = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            out.add(fragment(f + 1, f));
        }
        return out;
    }

    private static long lease(Harness h) {
        return Long.parseLong(h.applied(new AcquireLease("v1", "nodeA", false, Fixtures.T0, 30_000)));
    }

    @Test
    void aChunkIsAllocatedAsNumberedFragmentsOnDistinctHosts() {
        Harness h = cluster();
        long e = lease(h);
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(new ChunkReplica("n1", "d2"))), INVALID))
                .contains("is erasure-coded").contains("names no fragment");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(fragment(1, 0), fragment(2, 0))), INVALID))
                .contains("fragment 0 is given twice");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(fragment(1, 5))), INVALID))
                .contains("fragment 5 is outside EC 3+2");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(fragment(1, 0), fragment(1, 1))), INVALID))
                .contains("two replicas share host");
        h.applied(new AllocateChunk("v1", 0, e, stripe()));
        ChunkRecord r = h.state().chunk("v1", 0).orElseThrow();
        assertThat(r.replicas()).containsExactlyElementsOf(stripe());
        assertThat(r.storageIdOf(fragment(4, 3))).isEqualTo("v1-0-f3");
        assertThat(ChunkReferences.of(h.state())).contains(new ChunkReferences.Reference("v1-0-f3", 0, "n4", "d2"));
    }

    @Test
    void aLostFragmentIsDroppedAndItsRebuiltCopyAddedUnderItsNumber() {
        Harness h = cluster();
        long e = lease(h);
        h.applied(new AllocateChunk("v1", 0, e, stripe()));
        assertThat(h.applied(new DropReplica("v1", 0, e, 1, fragment(3, 2)))).isEqualTo("2");
        // The rebuilt fragment must be fragment 2, not a second copy of another.
        assertThat(h.rejected(new AddReplica("v1", 0, e, 2, fragment(3, 1)), CONFLICT)).contains("already has fragment 1");
        assertThat(h.rejected(new AddReplica("v1", 0, e, 2, new ChunkReplica("n3", "d2")), INVALID))
                .contains("names no fragment");
        assertThat(h.applied(new AddReplica("v1", 0, e, 2, fragment(3, 2)))).isEqualTo("3");
        assertThat(h.state().chunk("v1", 0).orElseThrow().replicas()).hasSize(5);
    }

    @Test
    void dirtyMarksNeedTheLeaseAndKeepTheVersion() {
        Harness h = cluster();
        long e = lease(h);
        h.applied(new AllocateChunk("v1", 0, e, stripe()));
        h.applied(new MarkChunkDirty("v1", 0, e, true));
        assertThat(h.state().chunk("v1", 0).orElseThrow().isDirty()).isTrue();
        assertThat(h.state().chunk("v1", 0).orElseThrow().version()).isEqualTo(1);
        h.rejected(new MarkChunkDirty("v1", 0, e - 1, false), CONFLICT);
        // A replica change keeps the mark: the stripe is no more consistent for it.
        h.applied(new DropReplica("v1", 0, e, 1, fragment(5, 4)));
        assertThat(h.state().chunk("v1", 0).orElseThrow().isDirty()).isTrue();
        h.applied(new MarkChunkDirty("v1", 0, e, false));
        assertThat(h.state().chunk("v1", 0).orElseThrow().dirty()).isNull();
    }

    @Test
    void snapshotsClonesAndRedundancyChangesAreRefusedWithTheReason() {
        Harness h = cluster();
        assertThat(h.rejected(new CreateSnapshot("v1", "s1", "snap", 0, Fixtures.T0), INVALID))
                .contains("snapshots of erasure-coded volumes are not supported yet");
        assertThat(h.rejected(new SetVolumePolicy("v1", "triple"), INVALID)).contains("would need re-encoding");
        assertThat(h.rejected(new SetVolumePolicy("v1", "ec41"), INVALID)).contains("would need re-encoding");
        h.applied(new CreateVolume("v2", "plain", GIB, CHUNK, "triple", Fixtures.T0));
        assertThat(h.rejected(new SetVolumePolicy("v2", "ec32"), INVALID)).contains("would need re-encoding");
    }

    @Test
    void wholeCopiesStoreTheBytesTheyAlwaysDid() {
        ClusterCodec codec = new ClusterCodec();
        ChunkRecord whole = new ChunkRecord(3, "v1-0", 2, List.of(new ChunkReplica("n1", "d2")));
        String json = new String(codec.write(whole), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("fragment").doesNotContain("dirty");
        ChunkRecord ec = new ChunkRecord(3, "v1-0", 2, List.of(fragment(1, 4)), true);
        assertThat(codec.readRecord(codec.write(ec), ChunkRecord.class)).isEqualTo(ec);
        assertThat(codec.readRecord(json.getBytes(StandardCharsets.UTF_8), ChunkRecord.class)).isEqualTo(whole);
    }

    @Test
    void lostFragmentsArePlannedForRebuildFromAtLeastMSurvivors() {
        Harness h = cluster();
        long e = lease(h);
        h.applied(new AllocateChunk("v1", 0, e, stripe()));
        Volume v = h.state().volume("v1").orElseThrow();
        java.util.Set<String> gone = new java.util.HashSet<>(java.util.Set.of("n2"));
        List<RepairTask> one = RepairPlanner.plan(h.state(), v, r -> gone.contains(r.nodeId()),
                r -> gone.contains(r.nodeId()));
        assertThat(one).singleElement().satisfies(t -> {
            assertThat(t.lost()).containsExactly(fragment(2, 1));
            assertThat(t.missing()).isEqualTo(1);
            assertThat(t.sources()).hasSize(4);
        });
        gone.addAll(List.of("n3", "n4"));
        List<RepairTask> three = RepairPlanner.plan(h.state(), v, r -> gone.contains(r.nodeId()),
                r -> gone.contains(r.nodeId()));
        // Two survivors cannot decode a 3+2 stripe: no sources, so the healer waits.
        assertThat(three).singleElement().satisfies(t -> assertThat(t.sources()).isEmpty());
    }
}
