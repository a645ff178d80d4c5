package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AddReplica;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.DropReplica;
import io.keel.meta.cluster.ClusterCommand.ExtendVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.RenewLease;
import io.keel.meta.cluster.ClusterCommand.SetVolumePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeCommandsTest {
    private static final long GIB = 1L << 30;
    private static final int CHUNK = 64 << 20;
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");

    /** Three hosts with a registered tier-0 chunk service on d2 each, policy "triple" and volume v1. */
    private static Harness cluster() {
        Harness h = Harness.withStorageCluster(3, 3);
        h.applied(new AssignDiskRole("n2", "d2", DiskRole.storage(0, true, false)));
        h.applied(new AssignDiskRole("n3", "d2", DiskRole.storage(0, true, false)));
        for (int i = 1; i <= 3; i++) {
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i,
                    100L << 30, (100L - i) << 30, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(new StoragePolicy("triple", 0, FailureDomain.HOST, 3)));
        h.applied(new CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        h.applied(new CreateVolume("v1", "disk-1", GIB, CHUNK, "triple", Fixtures.T0));
        return h;
    }

    private static long acquire(Harness h, String holder) {
        return Long.parseLong(h.applied(new AcquireLease("v1", holder, false, Fixtures.T0, 30_000)));
    }

    @Test
    void createdVolumeIsThinAndFindableByName() {
        Harness h = cluster();
        Volume v = h.state().volumeByIdOrName("disk-1").orElseThrow();
        assertThat(v.id()).isEqualTo("v1");
        assertThat(v.chunkCount()).isEqualTo(16);
        assertThat(v.storageId()).isEqualTo("v1-0");
        assertThat(h.state().chunks("v1")).isEmpty();
    }

    @Test
    void aCreateDeliveredTwiceIsAppliedOnceAndAnsweredAsApplied() {
        Harness h = cluster();
        assertThat(h.applied(new CreateVolume("v1", "disk-1", GIB, CHUNK, "triple", Fixtures.T0))).isEqualTo("v1");
        assertThat(h.state().volumes()).hasSize(1);
        // The same id with another name or time is another request: a real conflict.
        assertThat(h.rejected(new CreateVolume("v1", "disk-2", GIB, CHUNK, "triple", Fixtures.T0), CONFLICT))
                .contains("volume id \"v1\" is taken");
        assertThat(h.rejected(new CreateVolume("v1", "disk-1", GIB, CHUNK, "triple", Fixtures.T0.plusSeconds(1)),
                CONFLICT)).contains("is taken");
    }

    @Test
    void badVolumesAreRefusedWithTheReason() {
        Harness h = cluster();
        assertThat(h.rejected(new CreateVolume("v2", "disk-1", GIB, CHUNK, "triple", Fixtures.T0), CONFLICT))
                .contains("already exists");
        assertThat(h.rejected(new CreateVolume("v2", "bad name", GIB, CHUNK, "triple", Fixtures.T0), INVALID))
                .contains("volume name \"bad name\" is not valid");
        assertThat(h.rejected(new CreateVolume("v2", "d2", 1000, CHUNK, "triple", Fixtures.T0), INVALID))
                .contains("multiple of 4096");
        assertThat(h.rejected(new CreateVolume("v2", "d2", GIB, 3 << 20, "triple", Fixtures.T0), INVALID))
                .contains("power of two");
        assertThat(h.rejected(new CreateVolume("v2", "d2", GIB, CHUNK, "nope", Fixtures.T0), NOT_FOUND))
                .contains("no storage policy \"nope\"");
        assertThat(h.rejected(new CreateVolume("V_2", "d2", GIB, CHUNK, "triple", Fixtures.T0), INVALID))
                .contains("volume id");
    }

    @Test
    void extendGrowsButNeverShrinks() {
        Harness h = cluster();
        h.applied(new ExtendVolume("v1", 2 * GIB));
        assertThat(h.state().volume("v1").orElseThrow().sizeBytes()).isEqualTo(2 * GIB);
        assertThat(h.rejected(new ExtendVolume("v1", GIB), INVALID))
                .contains("cannot shrink").contains("only growing is supported");
    }

    @Test
    void policyChangeNeedsAnExistingPolicy() {
        Harness h = cluster();
        h.applied(new SetVolumePolicy("v1", "single"));
        assertThat(h.state().volume("v1").orElseThrow().policy()).isEqualTo("single");
        h.rejected(new SetVolumePolicy("v1", "nope"), NOT_FOUND);
    }

    @Test
    void eachGrantTakesAHigherEpochAndFencesTheOldHolder() {
        Harness h = cluster();
        long e1 = acquire(h, "nodeA");
        assertThat(h.rejected(new AcquireLease("v1", "nodeB", false, Fixtures.T0.plusSeconds(1), 30_000), CONFLICT))
                .contains("open for writing by \"nodeA\"");
        // After expiry another holder may take it; the old epoch can then neither renew nor allocate.
        long e2 = Long.parseLong(h.applied(new AcquireLease("v1", "nodeB", false, Fixtures.T0.plusSeconds(31), 30_000)));
        assertThat(e2).isGreaterThan(e1);
        assertThat(h.rejected(new RenewLease("v1", e1, Fixtures.T0.plusSeconds(32), 30_000), CONFLICT))
                .contains("no longer held").contains("\"nodeB\" holds epoch " + e2);
        h.rejected(new AllocateChunk("v1", 0, e1, List.of(R1, R2, R3)), CONFLICT);
        h.applied(new RenewLease("v1", e2, Fixtures.T0.plusSeconds(40), 30_000));
        h.applied(new ReleaseLease("v1", e2));
        assertThat(h.state().volume("v1").orElseThrow().lease()).isNull();
        assertThat(acquire(h, "nodeC")).isGreaterThan(e2);
    }

    @Test
    void aForegroundOpenPreemptsABackgroundHolderButNotTheOtherWay() {
        Harness h = cluster();
        h.applied(new AcquireLease("v1", "healer", true, Fixtures.T0, 30_000));
        long fg = acquire(h, "nodeA");
        h.rejected(new AcquireLease("v1", "healer", true, Fixtures.T0.plusSeconds(1), 30_000), CONFLICT);
        assertThat(h.state().volume("v1").orElseThrow().lease().epoch()).isEqualTo(fg);
    }

    @Test
    void healingOnTheWritersOwnNodeDoesNotTakeOverItsLiveLease() {
        Harness h = cluster();
        long fg = acquire(h, "nodeA");
        h.rejected(new AcquireLease("v1", "nodeA", true, Fixtures.T0.plusSeconds(1), 30_000), CONFLICT);
        assertThat(h.state().volume("v1").orElseThrow().lease().epoch()).isEqualTo(fg);
        // Once the writer's lease has run out, healing may take the volume.
        long bg = Long.parseLong(h.applied(new AcquireLease("v1", "nodeA", true, Fixtures.T0.plusSeconds(60), 30_000)));
        assertThat(bg).isGreaterThan(fg);
        // And the node's writer may take it back, as from any background holder.
        assertThat(Long.parseLong(h.applied(new AcquireLease("v1", "nodeA", false, Fixtures.T0.plusSeconds(61), 30_000))))
                .isGreaterThan(bg);
    }

    @Test
    void theLastForegroundHolderIsTheHomeAndStaysWhenTheLeaseEnds() {
        Harness h = cluster();
        assertThat(h.state().volume("v1").orElseThrow().home()).isNull();
        long e1 = acquire(h, "nodeA");
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeA");
        h.applied(new ReleaseLease("v1", e1));
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeA");
        // Healing or rebalancing from another node says nothing about where the volume is used.
        long bg = Long.parseLong(h.applied(new AcquireLease("v1", "nodeB", true, Fixtures.T0.plusSeconds(1), 30_000)));
        h.applied(new RenewLease("v1", bg, Fixtures.T0.plusSeconds(2), 30_000));
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeA");
        // A writer on another node (the VM moved) takes over, also from a lease left to expire.
        h.applied(new AcquireLease("v1", "nodeC", false, Fixtures.T0.plusSeconds(3), 30_000));
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeC");
        h.applied(new AcquireLease("v1", "nodeA", false, Fixtures.T0.plusSeconds(60), 30_000));
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeA");
    }

    @Test
    void allocationChecksPlacementAndIndex() {
        Harness h = cluster();
        long e = acquire(h, "nodeA");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(R1, new ChunkReplica("n1", "d1"))), INVALID))
                .contains("has no storage role");
        assertThat(h.rejected(new AllocateChunk("v1", 16, e, List.of(R1)), INVALID)).contains("outside volume");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(R1, R2, R3, R1)), INVALID))
                .contains("keeps 3 replicas");
        assertThat(h.applied(new AllocateChunk("v1", 3, e, List.of(R1, R2, R3)))).isEqualTo("1");
        assertThat(h.state().chunk("v1", 3)).contains(new ChunkRecord(3, "v1-0", 1, List.of(R1, R2, R3)));
        h.rejected(new AllocateChunk("v1", 3, e, List.of(R1)), CONFLICT);
    }

    @Test
    void sameHostTwiceBreaksTheFailureDomain() {
        Harness h = cluster();
        h.applied(new AssignDiskRole("n1", "d3", DiskRole.storage(0, true, false)));
        h.applied(new RegisterChunkService(new ChunkServiceInfo("n1", "d3", "127.0.0.1", 9910, 1L << 40, 1L << 40,
                Fixtures.T0)));
        long e = acquire(h, "nodeA");
        assertThat(h.rejected(new AllocateChunk("v1", 0, e, List.of(R1, new ChunkReplica("n1", "d3"))), INVALID))
                .contains("two replicas share host");
    }

    @Test
    void droppingAndAddingMoveTheVersionOn() {
        Harness h = cluster();
        long e = acquire(h, "nodeA");
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1, R2, R3)));
        h.rejected(new DropReplica("v1", 0, e, 7, R2), CONFLICT);
        assertThat(h.applied(new DropReplica("v1", 0, e, 1, R2))).isEqualTo("2");
        h.applied(new DropReplica("v1", 0, e, 2, R3));
        assertThat(h.rejected(new DropReplica("v1", 0, e, 3, R1), CONFLICT)).contains("last copy");
        assertThat(h.applied(new AddReplica("v1", 0, e, 3, R2))).isEqualTo("4");
        assertThat(h.state().chunk("v1", 0).orElseThrow().replicas()).containsExactly(R1, R2);
        h.rejected(new AddReplica("v1", 0, e, 4, R2), INVALID);
    }

    @Test
    void copyOnlyReplacesASharedChunk() {
        Harness h = cluster();
        long e = acquire(h, "nodeA");
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1)));
        assertThat(h.rejected(new CopyChunk("v1", 0, e, "v1-0", List.of(R2)), CONFLICT)).contains("already");
        h.rejected(new CopyChunk("v1", 0, e, "other-0", List.of(R2)), CONFLICT);
    }

    @Test
    void deleteRemovesChunksButNotWhileAWriterHoldsTheLease() {
        Harness h = cluster();
        long e = acquire(h, "nodeA");
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1, R2, R3)));
        assertThat(h.rejected(new DeleteVolume("v1", Fixtures.T0.plusSeconds(1)), CONFLICT))
                .contains("stop the writer first");
        h.applied(new DeleteVolume("v1", Fixtures.T0.plusSeconds(60)));
        assertThat(h.state().volume("v1")).isEmpty();
        assertThat(h.state().chunks("v1")).isEmpty();
    }

    @Test
    void placementPrefersEmptierDisksAndSkipsUsedDomains() {
        Harness h = cluster();
        ChunkPlacement p = new ChunkPlacement(h.state());
        StoragePolicy triple = h.state().policy("triple").orElseThrow();
        assertThat(p.choose(triple, 3, List.of(), r -> true, 1)).containsExactlyInAnyOrder(R1, R2, R3);
        assertThat(p.choose(triple, 3, List.of(R1), r -> true, 1)).containsExactlyInAnyOrder(R2, R3);
        assertThat(p.choose(triple, 3, List.of(), r -> !r.equals(R2), 1)).containsExactlyInAnyOrder(R1, R3);
        assertThat(p.check(List.of(R1, R2), triple)).isEmpty();
    }
}
