package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AcquireLease;
import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteVm;
import io.keel.meta.cluster.ClusterCommand.DeleteVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.FailVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.RequestVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.RevertVm;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmSnapshotCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(600);
    private static final ChunkReplica R1 = new ChunkReplica("n1", "d2");

    /** {@link SnapshotCommandsTest#cluster()} plus volume v2, a compute cluster and VM vm1 ("web") on n1 with v1, v2. */
    private static Harness cluster() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new CreateVolume("v2", "disk-2", 1L << 30, 64 << 20, "single", Fixtures.T0));
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), Fixtures.T0, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("v1", true),
                new VmDiskRef("v2", true)), "n1", VmPlacement.AUTO, VmPower.STOPPED, null, List.of(), null, null, AT));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        return h;
    }

    private static CreateVmSnapshot snapshot(String id, String name, long epoch1, long epoch2, Instant at) {
        return new CreateVmSnapshot("vm1", id, name, false, List.of(
                new CreateSnapshot("v1", id + "-1", name, epoch1, at), new CreateSnapshot("v2", id + "-2", name, epoch2,
                        at)), 7, at, 0);
    }

    @Test
    void oneCommandSnapshotsEveryDiskTogether() {
        Harness h = cluster();
        assertThat(h.applied(snapshot("vs1", "before", 0, 0, AT))).isEqualTo("vs1");
        VmSnapshot s = h.state().vmSnapshotByIdOrName("vm1", "before").orElseThrow();
        assertThat(s.disks()).containsExactly(new VmSnapshotDisk("v1", "vs1-1"), new VmSnapshotDisk("v2", "vs1-2"));
        assertThat(s.pausedMillis()).isEqualTo(7);
        assertThat(h.state().snapshots("v1")).extracting(Volume::name).containsExactly("before");
        assertThat(h.state().chunks("vs1-1")).hasSize(2);
        // Delivered twice: answered as applied, nothing doubled.
        assertThat(h.applied(snapshot("vs1", "before", 0, 0, AT))).isEqualTo("vs1");
        assertThat(h.state().vmSnapshots("vm1")).hasSize(1);
    }

    @Test
    void aDiskThatCannotBeSnapshottedLeavesNoPartialSet() {
        Harness h = cluster();
        // v2 is open for writing by a node that did not quiesce it for this snapshot.
        h.applied(new AcquireLease("v2", "nodeB", false, AT, 30_000));
        assertThat(h.rejected(snapshot("vs1", "before", 0, 0, AT), CONFLICT)).contains("volume \"disk-2\" is open"
                + " for writing by \"nodeB\"");
        assertThat(h.state().snapshots("v1")).isEmpty();
        assertThat(h.state().vmSnapshots("vm1")).isEmpty();
    }

    @Test
    void theWritersThatQuiescedTheirDisksTakeTheSnapshotWithTheirEpochs() {
        Harness h = cluster();
        long e1 = SnapshotCommandsTest.open(h, "v1", AT);
        long e2 = SnapshotCommandsTest.open(h, "v2", AT);
        h.applied(new AllocateChunk("v2", 0, e2, List.of(R1)));
        assertThat(h.rejected(snapshot("vs1", "x", e1, e2 + 5, AT), CONFLICT)).isNotBlank();
        h.applied(snapshot("vs1", "x", e1, e2, AT));
        assertThat(h.state().volume("v2").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void badSetsAreRefusedWithTheReason() {
        Harness h = cluster();
        assertThat(h.rejected(new CreateVmSnapshot("vm1", "vs1", "x", false,
                List.of(new CreateSnapshot("v1", "vs1-1", "x", 0, AT)), 0, AT, 0), INVALID))
                .isEqualTo("a VM snapshot covers every disk: volume \"v2\" has no snapshot in it");
        assertThat(h.rejected(new CreateVmSnapshot("vm1", "vs1", "x", false, List.of(
                new CreateSnapshot("v1", "vs1-1", "x", 0, AT), new CreateSnapshot("v3", "vs1-3", "x", 0, AT)), 0, AT, 0),
                INVALID)).isEqualTo("volume \"v3\" is not a disk of VM \"web\"");
        assertThat(h.rejected(new CreateVmSnapshot("vm1", "vs1", "x", true, List.of(), 0, AT, 1), INVALID))
                .isEqualTo("a memory snapshot is taken by the VM's host, into the state volume of its request");
        assertThat(h.rejected(snapshot("vs1", "bad name", 0, 0, AT), INVALID)).contains("snapshot name");
        h.applied(snapshot("vs1", "x", 0, 0, AT));
        assertThat(h.rejected(snapshot("vs2", "x", 0, 0, AT.plusSeconds(1)), CONFLICT))
                .isEqualTo("VM \"web\" already has a snapshot named \"x\"");
    }

    @Test
    void aRunningVmsSnapshotIsRequestedFromItsHostWhichTakesItOrSaysWhyNot() {
        Harness h = cluster();
        assertThat(h.rejected(new RequestVmSnapshot("vm1", "vs1", "x", false, AT, null), CONFLICT))
                .contains("is shutoff: its host takes snapshots of running or paused VMs only");
        h.applied(new SetVmPower("vm1", VmPower.RUNNING, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        assertThat(h.rejected(new RequestVmSnapshot("vm1", "vs1", "x", true, AT, null), INVALID))
                .isEqualTo("a memory snapshot needs a volume to save the state into");
        h.applied(new RequestVmSnapshot("vm1", "vs1", "x", false, AT, null));
        assertThat(h.state().vmSnapshotRequest("vm1").orElseThrow().pending()).isTrue();
        assertThat(h.rejected(new RequestVmSnapshot("vm1", "vs2", "y", false, AT.plusSeconds(1), null), CONFLICT))
                .isEqualTo("snapshot \"x\" of VM \"web\" is being taken: wait for it to finish");
        assertThat(h.rejected(new FailVmSnapshot("vm1", "vs1", "n2", "no"), CONFLICT)).contains("only its host");
        h.applied(new FailVmSnapshot("vm1", "vs1", "n1", "QMP stop timed out"));
        assertThat(h.state().vmSnapshotRequest("vm1").orElseThrow().failure()).isEqualTo("QMP stop timed out");
        // A failed request makes way for the next, which the host takes.
        h.applied(new RequestVmSnapshot("vm1", "vs2", "y", false, AT.plusSeconds(2), null));
        h.applied(snapshot("vs2", "y", 0, 0, AT.plusSeconds(3)));
        assertThat(h.state().vmSnapshotRequest("vm1")).isEmpty();
        assertThat(h.rejected(new FailVmSnapshot("vm1", "vs2", "n1", "late"), NOT_FOUND)).isNotBlank();
    }

    @Test
    void revertNeedsAStoppedVmAndRestoresEveryDisk() {
        Harness h = cluster();
        h.applied(snapshot("vs1", "x", 0, 0, AT));
        long e = SnapshotCommandsTest.open(h, "v2", AT);
        h.applied(new AllocateChunk("v2", 3, e, List.of(R1)));
        h.applied(new ReleaseLease("v2", e));
        h.applied(new SetVmPower("vm1", VmPower.RUNNING, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        assertThat(h.rejected(new RevertVm("vm1", "x", false, AT), CONFLICT))
                .isEqualTo("VM \"web\" is active: a VM is reverted only while it is stopped (stop it first)");
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        assertThat(h.rejected(new RevertVm("vm1", "nope", false, AT), NOT_FOUND)).contains("has no snapshot");
        assertThat(h.applied(new RevertVm("vm1", "x", true, AT.plusSeconds(1)))).isEqualTo("vm1");
        assertThat(h.state().chunks("v2")).isEmpty();
        assertThat(h.state().chunks("v1")).extracting(ChunkRecord::index).containsExactly(0L, 2L);
        assertThat(h.state().vm("vm1").orElseThrow().power()).isEqualTo(VmPower.RUNNING);
    }

    @Test
    void partsAreDeletedWithTheVmSnapshotOnlyAndAVmWithSnapshotsIsNotDeleted() {
        Harness h = cluster();
        h.applied(snapshot("vs1", "x", 0, 0, AT));
        assertThat(h.rejected(new DeleteSnapshot("vs1-2"), CONFLICT)).isEqualTo("snapshot \"x\" is part of snapshot"
                + " \"x\" of VM \"web\": delete that VM snapshot instead");
        assertThat(h.rejected(new DeleteVm("vm1"), CONFLICT))
                .isEqualTo("VM \"web\" has snapshots (x): delete them first (keel vm snapshot delete)");
        assertThat(h.applied(new DeleteVmSnapshot("vs1"))).isEqualTo("vs1");
        assertThat(h.state().snapshots("v1")).isEmpty();
        assertThat(h.state().snapshots("v2")).isEmpty();
        assertThat(h.state().chunks("vs1-1")).isEmpty();
        assertThat(h.rejected(new DeleteVmSnapshot("vs1"), NOT_FOUND)).isNotBlank();
        h.applied(new DeleteVm("vm1"));
    }
}
