package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AllocateChunk;
import io.keel.meta.cluster.ClusterCommand.AttachVmVolume;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.FailVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.FinishVmResume;
import io.keel.meta.cluster.ClusterCommand.ReleaseLease;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.RequestVmSnapshot;
import io.keel.meta.cluster.ClusterCommand.RevertVm;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots with memory (ADR 0024): the state volume's life, and the revert that resumes from it. */
class VmMemorySnapshotCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(600);
    private static final long RAM = 512L << 20;
    private static final long STATE_SIZE = RAM + (128L << 20);

    /** {@link SnapshotCommandsTest#cluster()} plus VM vm1 ("web", 512 MiB, disk v1) ACTIVE on n1. */
    private static Harness running() {
        Harness h = SnapshotCommandsTest.cluster();
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), Fixtures.T0, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("v1", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    private static RequestVmSnapshot request(String id, String name, long size, Instant at) {
        return new RequestVmSnapshot("vm1", id, name, true, at,
                new CreateVolume(id + "-state", "web-snap-" + name + "-state", size, 64 << 20, "single", at));
    }

    private static CreateVmSnapshot taken(String id, String name, long stateBytes, Instant at) {
        return new CreateVmSnapshot("vm1", id, name, true, List.of(new CreateSnapshot("v1", id + "-1", name, 0, at)),
                900, at, stateBytes);
    }

    /** Snapshot "mem" with 100 MB of state in volume ms-state (one chunk written), VM still ACTIVE. */
    private static Harness withMemorySnapshot() {
        Harness h = running();
        h.applied(request("ms", "mem", STATE_SIZE, AT));
        long e = SnapshotCommandsTest.open(h, "ms-state", AT);
        h.applied(new AllocateChunk("ms-state", 0, e, List.of(new ChunkReplica("n1", "d2"))));
        h.applied(new ReleaseLease("ms-state", e));
        h.applied(taken("ms", "mem", 100_000_000, AT.plusSeconds(1)));
        return h;
    }

    private static Harness stopped(Harness h) {
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT.plusSeconds(5)));
        return h;
    }

    private static Vm web(Harness h) {
        return h.state().vm("vm1").orElseThrow();
    }

    @Test
    void theRequestMakesTheStateVolumeWhichPassesToTheSnapshot() {
        Harness h = running();
        assertThat(h.rejected(request("ms", "mem", RAM - 1, AT), INVALID)).isEqualTo("a state volume of "
                + (RAM - 1) + " bytes cannot hold the " + RAM + " bytes of RAM of VM \"web\"");
        assertThat(h.state().volume("ms-state")).isEmpty();
        assertThat(h.rejected(new RequestVmSnapshot("vm1", "ms", "mem", false, AT, request("ms", "mem", STATE_SIZE, AT)
                .stateVolume()), INVALID)).isEqualTo("a disk-only snapshot has no state volume");
        h.applied(request("ms", "mem", STATE_SIZE, AT));
        assertThat(h.state().volume("ms-state").orElseThrow().sizeBytes()).isEqualTo(STATE_SIZE);
        assertThat(h.state().vmSnapshotRequest("vm1").orElseThrow().stateVolumeId()).isEqualTo("ms-state");
        // Delivered twice: answered as applied, nothing doubled.
        h.applied(request("ms", "mem", STATE_SIZE, AT));
        assertThat(h.rejected(new DeleteVolume("ms-state", AT), CONFLICT)).contains("is receiving the memory of"
                + " snapshot \"mem\"");
        assertThat(h.rejected(taken("ms", "mem", 0, AT.plusSeconds(1)), INVALID)).startsWith("saved state of 0 bytes");
        assertThat(h.rejected(taken("ms", "mem", STATE_SIZE + 1, AT.plusSeconds(1)), INVALID))
                .endsWith("bytes (the state volume's size)");
        h.applied(taken("ms", "mem", 100_000_000, AT.plusSeconds(1)));
        VmSnapshot s = h.state().vmSnapshotByIdOrName("vm1", "mem").orElseThrow();
        assertThat(s.withMemory()).isTrue();
        assertThat(s.stateVolumeId()).isEqualTo("ms-state");
        assertThat(s.stateBytes()).isEqualTo(100_000_000);
        assertThat(s.pausedMillis()).isEqualTo(900);
        assertThat(h.state().vmSnapshotRequest("vm1")).isEmpty();
    }

    @Test
    void theSnapshotsStateVolumeIsNoDiskAndIsNotDeletedAlone() {
        Harness h = withMemorySnapshot();
        String why = "volume \"web-snap-mem-state\" holds the memory of snapshot \"mem\" of VM \"web\": it cannot be ";
        assertThat(h.rejected(new DeleteVolume("ms-state", AT), CONFLICT)).isEqualTo(why + "deleted (it is deleted"
                + " with the snapshot: keel vm snapshot delete)");
        assertThat(h.rejected(new AttachVmVolume("vm1", "ms-state", null), CONFLICT)).startsWith(why + "attached");
        assertThat(h.rejected(new ClusterCommand.DeleteVm("vm1"), CONFLICT)).isNotBlank();
    }

    @Test
    void aFailedMemorySnapshotDeletesItsStateVolume() {
        Harness h = running();
        h.applied(request("ms", "mem", STATE_SIZE, AT));
        h.applied(new FailVmSnapshot("vm1", "ms", "n1", "QEMU's save failed"));
        assertThat(h.state().volume("ms-state")).isEmpty();
        VmSnapshotRequest r = h.state().vmSnapshotRequest("vm1").orElseThrow();
        assertThat(r.failure()).isEqualTo("QEMU's save failed");
        assertThat(r.stateVolumeId()).isNull();
        // A request replaced after its time to live takes its never-used volume with it.
        h.applied(request("m2", "mem2", STATE_SIZE, AT.plusSeconds(1)));
        h.applied(request("m3", "mem3", STATE_SIZE, AT.plus(VmSnapshotCommands.REQUEST_TTL).plusSeconds(2)));
        assertThat(h.state().volume("m2-state")).isEmpty();
        assertThat(h.state().volume("m3-state")).isPresent();
    }

    @Test
    void aRevertWithStartResumesFromTheSnapshotsStateWhichStaysWithTheSnapshot() {
        Harness h = stopped(withMemorySnapshot());
        h.applied(new RevertVm("vm1", "mem", true, AT.plusSeconds(10)));
        VmSavedState s = h.state().vmSavedState("vm1").orElseThrow();
        assertThat(s.saved()).isTrue();
        assertThat(s.fromSnapshot()).isTrue();
        assertThat(s.volumeId()).isEqualTo("ms-state");
        assertThat(s.stateBytes()).isEqualTo(100_000_000);
        assertThat(web(h).power()).isEqualTo(VmPower.RUNNING);
        assertThat(h.rejected(new DeleteVmSnapshot("ms"), CONFLICT)).isEqualTo("VM \"web\" is resuming from the"
                + " memory of snapshot \"mem\": delete it once the VM runs (or stop the VM first)");
        h.applied(new FinishVmResume("vm1", "n1", 700, AT.plusSeconds(12)));
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("ms-state")).isPresent();
        assertThat(web(h).status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(web(h).statusReason()).isEqualTo("resumed from 100000000 bytes of snapshot \"mem\"'s memory in"
                + " 700 ms");
    }

    @Test
    void aRevertWithoutStartResumesAtTheNextStartAndAStopForgetsIt() {
        Harness h = stopped(withMemorySnapshot());
        h.applied(new RevertVm("vm1", "mem", false, AT.plusSeconds(10)));
        assertThat(web(h).power()).isEqualTo(VmPower.STOPPED);
        assertThat(h.state().vmSavedState("vm1").orElseThrow().fromSnapshot()).isTrue();
        assertThat(h.rejected(new SetVmPower("vm1", VmPower.PAUSED, null), CONFLICT)).contains("start it");
        // A stop of the stopped VM forgets the state: its next start boots from the reverted disks.
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("ms-state")).isPresent();
        h.applied(new RevertVm("vm1", "mem", false, AT.plusSeconds(11)));
        h.applied(new SetVmPower("vm1", VmPower.RUNNING, null));
        assertThat(web(h).power()).isEqualTo(VmPower.RUNNING);
        assertThat(h.state().vmSavedState("vm1").orElseThrow().snapshotId()).isEqualTo("ms");
    }

    @Test
    void aDiskOnlyRevertForgetsAPendingResume() {
        Harness h = stopped(withMemorySnapshot());
        h.applied(new ClusterCommand.CreateVmSnapshot("vm1", "ds", "disks", false, List.of(
                new CreateSnapshot("v1", "ds-1", "disks", 0, AT.plusSeconds(6))), 0, AT.plusSeconds(6), 0));
        h.applied(new RevertVm("vm1", "mem", false, AT.plusSeconds(10)));
        h.applied(new RevertVm("vm1", "disks", false, AT.plusSeconds(11)));
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("ms-state")).isPresent();
    }

    @Test
    void deletingTheSnapshotDeletesItsStateVolumeAndForgetsAPendingResume() {
        Harness h = stopped(withMemorySnapshot());
        h.applied(new RevertVm("vm1", "mem", false, AT.plusSeconds(10)));
        h.applied(new DeleteVmSnapshot("ms"));
        assertThat(h.state().volume("ms-state")).isEmpty();
        assertThat(h.state().chunks("ms-state")).isEmpty();
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().vmSnapshots("vm1")).isEmpty();
        h.applied(new ClusterCommand.DeleteVm("vm1"));
    }
}
