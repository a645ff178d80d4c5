package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AddReplica;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CloneVolume;
import io.keel.meta.cluster.ClusterCommand.CopyChunk;
import io.keel.meta.cluster.ClusterCommand.CreatePolicy;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.DropReplica;
import io.keel.meta.cluster.ClusterCommand.ExtendVolume;
import io.keel.meta.cluster.ClusterCommand.RegisterChunkService;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.RenewLease;
import io.keel.meta.cluster.ClusterCommand.RevertVolume;
import io.keel.meta.cluster.ClusterCommand.SetVolumePolicy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCommandsTest {
    private static final long GIB = 1L << 30;
    private static final int CHUNK = 64 << 20;
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");
    private static final ChunkReplica R2 = new ChunkReplica("n2", "d2");
    private static final ChunkReplica R3 = new ChunkReplica("n3", "d2");
    private static final Instant LATER = Fixtures.T0.plusSeconds(600);

    /** Volume v1 ("disk-1", 1 GiB, policy "single") with chunks 0 and 2 written at epoch 1, then closed. */
    static Harness cluster() {
        Harness h = Harness.withStorageCluster(3, 3);
        h.applied(new AssignDiskRole("n2", "d2", DiskRole.storage(0, true, false)));
        h.applied(new AssignDiskRole("n3", "d2", DiskRole.storage(0, true, false)));
        for (int i = 1; i <= 3; i++) {
            h.applied(new RegisterChunkService(new ChunkServiceInfo("n" + i, "d2", "127.0.0.1", 9900 + i,
                    100L << 30, (100L - i) << 30, Fixtures.T0)));
        }
        h.applied(new CreatePolicy(new StoragePolicy("single", 0, FailureDomain.HOST, 1)));
        h.applied(new CreatePolicy(new StoragePolicy("double", 0, FailureDomain.HOST, 2)));
        h.applied(new CreateVolume("v1", "disk-1", GIB, CHUNK, "single", Fixtures.T0));
        long e = open(h, "v1", Fixtures.T0);
        h.applied(new AllocateChunk("v1", 0, e, List.of(R1)));
        h.applied(new AllocateChunk("v1", 2, e, List.of(R2)));
        h.applied(new ReleaseLease("v1", e));
        return h;
    }

    static long open(Harness h, String volume, Instant at) {
        return Long.parseLong(h.applied(new AcquireLease(volume, "nodeA", false, at, 30_000)));
    }

    @Test
    void aSnapshotCopiesTheMapAndMakesTheVolumeCopyOnWrite() {
        Harness h = cluster();
        List<ChunkRecord> before = h.state().chunks("v1");
        assertThat(h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER))).isEqualTo("s1");
        Volume s = h.state().volume("s1").orElseThrow();
        assertThat(s.isSnapshot()).isTrue();
        assertThat(s.snapshotOf()).isEqualTo("v1");
        assertThat(s.name()).isEqualTo("monday");
        assertThat(s.sizeBytes()).isEqualTo(GIB);
        assertThat(s.lease()).isNull();
        assertThat(s.epoch()).as("carried on from the volume's").isEqualTo(1);
        assertThat(s.home()).as("a snapshot is never opened for writing").isNull();
        assertThat(h.state().volume("v1").orElseThrow().home()).isEqualTo("nodeA");
        assertThat(h.state().chunks("s1")).isEqualTo(before);
        Volume v = h.state().volume("v1").orElseThrow();
        assertThat(v.generation()).isEqualTo(1);
        assertThat(v.storageId()).isEqualTo("v1-1");
        // Snapshots stay out of the volume list and name lookups, but are listed per volume.
        assertThat(h.state().volumes()).extracting(Volume::id).containsExactly("v1");
        assertThat(h.state().allVolumeRecords()).extracting(Volume::id).containsExactly("s1", "v1");
        assertThat(h.state().snapshots("v1")).extracting(Volume::id).containsExactly("s1");
        assertThat(h.state().snapshotByIdOrName("v1", "monday")).contains(s);
        assertThat(h.state().volumeByIdOrName("s1")).isEmpty();
        // The volume's next write to chunk 0 must copy it, and may, since it is now shared.
        long e = open(h, "v1", LATER);
        h.applied(new CopyChunk("v1", 0, e, "v1-0", List.of(R3)));
        assertThat(h.state().chunk("v1", 0).orElseThrow().storageId()).isEqualTo("v1-1");
        assertThat(h.state().chunk("s1", 0)).contains(before.get(0));
    }

    @Test
    void theWriterSnapshotsWithItsEpochAndNobodyElseMay() {
        Harness h = cluster();
        long e = open(h, "v1", LATER);
        assertThat(h.rejected(new CreateSnapshot("v1", "s1", "monday", 0, LATER.plusSeconds(1)), CONFLICT))
                .contains("open for writing by \"nodeA\"").contains("through that writer");
        assertThat(h.rejected(new CreateSnapshot("v1", "s1", "monday", e - 1, LATER.plusSeconds(1)), CONFLICT))
                .contains("no longer held");
        h.applied(new CreateSnapshot("v1", "s1", "monday", e, LATER.plusSeconds(1)));
        // The writer keeps its lease and goes on writing under the new generation.
        Volume v = h.state().volume("v1").orElseThrow();
        assertThat(v.leaseIs(e)).isTrue();
        assertThat(v.generation()).isEqualTo(1);
        h.applied(new AllocateChunk("v1", 5, e, List.of(R1)));
        assertThat(h.state().chunk("v1", 5).orElseThrow().storageId()).isEqualTo("v1-1");
        assertThat(h.state().chunk("s1", 5)).isEmpty();
    }

    @Test
    void anExpiredWriterLosesItsLeaseSoItCannotWriteInPlaceAfterwards() {
        Harness h = cluster();
        long e = open(h, "v1", LATER);
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER.plusSeconds(60)));
        assertThat(h.state().volume("v1").orElseThrow().lease()).isNull();
        h.rejected(new RenewLease("v1", e, LATER.plusSeconds(61), 30_000), CONFLICT);
    }

    @Test
    void badSnapshotsAreRefusedWithTheReason() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        assertThat(h.rejected(new CreateSnapshot("v1", "s2", "monday", 0, LATER), CONFLICT))
                .contains("already has a snapshot named \"monday\"");
        assertThat(h.rejected(new CreateSnapshot("v1", "s1", "tuesday", 0, LATER), CONFLICT)).contains("is taken");
        assertThat(h.rejected(new CreateSnapshot("v1", "v1", "tuesday", 0, LATER), CONFLICT)).contains("is taken");
        assertThat(h.rejected(new CreateSnapshot("v1", "s2", "bad name", 0, LATER), INVALID))
                .contains("snapshot name \"bad name\" is not valid");
        assertThat(h.rejected(new CreateSnapshot("v1", "S_2", "tuesday", 0, LATER), INVALID)).contains("volume id");
        assertThat(h.rejected(new CreateSnapshot("nope", "s2", "tuesday", 0, LATER), NOT_FOUND))
                .contains("volume \"nope\" does not exist");
        assertThat(h.rejected(new CreateSnapshot("s1", "s2", "tuesday", 0, LATER), INVALID))
                .contains("is a snapshot");
        h.rejected(new CreateSnapshot("v1", "s2", "tuesday", 0, null), INVALID);
        // A snapshot name may repeat across volumes, and a snapshot may share its volume's name.
        h.applied(new CreateVolume("v2", "disk-2", GIB, CHUNK, "single", LATER));
        h.applied(new CreateSnapshot("v2", "s3", "monday", 0, LATER));
        h.applied(new CreateSnapshot("v2", "s4", "disk-2", 0, LATER));
        // Volume names ignore snapshots.
        h.applied(new CreateVolume("v3", "monday", GIB, CHUNK, "single", LATER));
    }

    @Test
    void snapshotsAreReadOnly() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        assertThat(h.rejected(new AcquireLease("s1", "nodeA", false, LATER, 30_000), INVALID))
                .contains("cannot be opened for writing");
        assertThat(h.rejected(new ExtendVolume("s1", 2 * GIB), INVALID)).contains("snapshots are read-only");
        h.rejected(new SetVolumePolicy("s1", "double"), INVALID);
        h.rejected(new DeleteVolume("s1", LATER), INVALID);
        // Healing may still change a snapshot's replicas under a background lease.
        long bg = Long.parseLong(h.applied(new AcquireLease("s1", "healer", true, LATER, 30_000)));
        h.rejected(new AllocateChunk("s1", 1, bg, List.of(R1)), INVALID);
        h.rejected(new CopyChunk("s1", 0, bg, "v1-0", List.of(R1)), INVALID);
        h.applied(new AddReplica("s1", 0, bg, 1, R3));
        h.applied(new DropReplica("s1", 0, bg, 2, R1));
        assertThat(h.state().chunk("s1", 0).orElseThrow().replicas()).containsExactly(R3);
        assertThat(h.state().chunk("v1", 0).orElseThrow().replicas()).containsExactly(R1);
    }

    @Test
    void aVolumeWithSnapshotsCannotBeDeletedUntilTheyAre() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        h.applied(new CreateSnapshot("v1", "s2", "tuesday", 0, LATER.plusSeconds(1)));
        assertThat(h.rejected(new DeleteVolume("v1", LATER), CONFLICT))
                .contains("has snapshots \"monday\", \"tuesday\": delete them first");
        assertThat(h.applied(new DeleteSnapshot("s1"))).isEqualTo("s1");
        assertThat(h.state().volume("s1")).isEmpty();
        assertThat(h.state().chunks("s1")).isEmpty();
        assertThat(h.state().chunks("v1")).hasSize(2);
        h.applied(new DeleteSnapshot("s2"));
        h.applied(new DeleteVolume("v1", LATER));
        assertThat(h.rejected(new DeleteSnapshot("s1"), NOT_FOUND)).contains("does not exist");
    }

    @Test
    void deleteSnapshotRefusesAVolume() {
        Harness h = cluster();
        assertThat(h.rejected(new DeleteSnapshot("v1"), INVALID)).contains("not a snapshot");
        h.rejected(new DeleteSnapshot(null), INVALID);
    }

    @Test
    void revertRestoresTheMapAndTheSize() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        List<ChunkRecord> snapshot = h.state().chunks("s1");
        h.applied(new ExtendVolume("v1", 2 * GIB));
        long e = open(h, "v1", LATER);
        h.applied(new CopyChunk("v1", 0, e, "v1-0", List.of(R3)));
        h.applied(new AllocateChunk("v1", 20, e, List.of(R1)));
        assertThat(h.rejected(new RevertVolume("v1", "s1", LATER.plusSeconds(1)), CONFLICT))
                .contains("close it before reverting");
        h.applied(new ReleaseLease("v1", e));
        assertThat(h.applied(new RevertVolume("v1", "s1", LATER.plusSeconds(2)))).isEqualTo("v1");
        assertThat(h.state().chunks("v1")).isEqualTo(snapshot);
        Volume v = h.state().volume("v1").orElseThrow();
        assertThat(v.sizeBytes()).isEqualTo(GIB);
        assertThat(v.generation()).isEqualTo(2);
        assertThat(v.epoch()).isEqualTo(e);
        // The snapshot survives, still shared: the volume's next write copies again.
        assertThat(h.state().chunks("s1")).isEqualTo(snapshot);
        long e2 = open(h, "v1", LATER.plusSeconds(3));
        h.applied(new CopyChunk("v1", 0, e2, "v1-0", List.of(R3)));
    }

    @Test
    void revertDropsABackgroundLeaseWhoseVersionsNoLongerMeanAnything() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        long bg = Long.parseLong(h.applied(new AcquireLease("v1", "healer", true, LATER, 30_000)));
        h.applied(new RevertVolume("v1", "s1", LATER.plusSeconds(1)));
        assertThat(h.state().volume("v1").orElseThrow().lease()).isNull();
        h.rejected(new AddReplica("v1", 0, bg, 1, R3), CONFLICT);
    }

    @Test
    void revertNeedsASnapshotOfThatVolume() {
        Harness h = cluster();
        h.applied(new CreateVolume("v2", "disk-2", GIB, CHUNK, "single", LATER));
        h.applied(new CreateSnapshot("v2", "s2", "other", 0, LATER));
        assertThat(h.rejected(new RevertVolume("v1", "s2", LATER), INVALID))
                .contains("belongs to volume \"v2\", not to volume \"disk-1\"");
        h.rejected(new RevertVolume("v1", "nope", LATER), NOT_FOUND);
        h.rejected(new RevertVolume("v1", "v2", LATER), INVALID);
        h.rejected(new RevertVolume("s2", "s2", LATER), INVALID);
    }

    @Test
    void aCloneSharesEveryChunkAndCopiesOnItsFirstWrites() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        assertThat(h.applied(new CloneVolume("s1", "c1", "copy-1", null, LATER))).isEqualTo("c1");
        Volume c = h.state().volumeByIdOrName("copy-1").orElseThrow();
        assertThat(c.origin()).isEqualTo("s1");
        assertThat(c.isSnapshot()).isFalse();
        assertThat(c.policy()).isEqualTo("single");
        assertThat(c.storageId()).isEqualTo("c1-0");
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(c.home()).as("no writer has opened the clone yet").isNull();
        assertThat(h.state().chunks("c1")).isEqualTo(h.state().chunks("s1"));
        h.applied(new CloneVolume("s1", "c2", "copy-2", "double", LATER));
        assertThat(h.state().volume("c2").orElseThrow().policy()).isEqualTo("double");
        long e = open(h, "c1", LATER);
        h.applied(new CopyChunk("c1", 2, e, "v1-0", List.of(R1)));
        assertThat(h.state().chunk("c1", 2).orElseThrow().storageId()).isEqualTo("c1-0");
        // Deleting the snapshot keeps the clones: their own maps still name the shared copies.
        h.applied(new DeleteSnapshot("s1"));
        assertThat(h.state().chunk("c1", 0).orElseThrow().storageId()).isEqualTo("v1-0");
        assertThat(ChunkReferences.of(h.state()))
                .contains(new ChunkReferences.Reference("v1-0", 0, "n1", "d2"));
    }

    @Test
    void badClonesAreRefusedWithTheReason() {
        Harness h = cluster();
        h.applied(new CreateSnapshot("v1", "s1", "monday", 0, LATER));
        assertThat(h.rejected(new CloneVolume("s1", "c1", "disk-1", null, LATER), CONFLICT))
                .contains("a volume named \"disk-1\" already exists");
        assertThat(h.rejected(new CloneVolume("s1", "v1", "copy", null, LATER), CONFLICT)).contains("is taken");
        assertThat(h.rejected(new CloneVolume("s1", "c1", "copy", "nope", LATER), NOT_FOUND))
                .contains("no storage policy \"nope\"");
        assertThat(h.rejected(new CloneVolume("v1", "c1", "copy", null, LATER), INVALID)).contains("not a snapshot");
        h.rejected(new CloneVolume("gone", "c1", "copy", null, LATER), NOT_FOUND);
        h.rejected(new CloneVolume("s1", "C 1", "copy", null, LATER), INVALID);
        h.rejected(new CloneVolume("s1", "c1", "bad name", null, LATER), INVALID);
        // A clone may take its snapshot's name: snapshot names live per volume.
        h.applied(new CloneVolume("s1", "c1", "monday", null, LATER));
    }
}
