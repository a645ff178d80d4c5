package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CompleteVmSuspend;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteVm;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.FailVmSuspend;
import io.keel.meta.cluster.ClusterCommand.FinishVmResume;
import io.keel.meta.cluster.ClusterCommand.RebootVm;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.ReportVmSuspendProgress;
import io.keel.meta.cluster.ClusterCommand.ResizeVm;
import io.keel.meta.cluster.ClusterCommand.ResumeVm;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import io.keel.meta.cluster.ClusterCommand.StartVmMigration;
import io.keel.meta.cluster.ClusterCommand.SuspendVm;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmSuspendCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);
    private static final long RAM = 2048L << 20;

    /** Compute nodes n1-n3; VM "web" (2048 MiB, disk d1) ACTIVE on n1. */
    private static Harness cluster() {
        Harness h = Harness.withChunkServices();
        h.applied(new CreateVolume("d1", "disk-1", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateComputeCluster(List.of("n1", "n2", "n3"), AT, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 2048, List.of(new VmDiskRef("d1", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    private static SuspendVm suspend(String stateId, long size, Instant at) {
        return new SuspendVm("web", new CreateVolume(stateId, "web-state", size, 64 << 20, "single", at), at);
    }

    /** Suspended: state saved by n1, status SUSPENDED. */
    private static Harness suspended() {
        Harness h = cluster();
        h.applied(suspend("s1", RAM + (256L << 20), AT));
        h.applied(new CompleteVmSuspend("vm1", "n1", 5_000_000, 800, AT.plusSeconds(2)));
        return h;
    }

    private static Vm web(Harness h) {
        return h.state().vm("vm1").orElseThrow();
    }

    @Test
    void aSuspendMakesTheStateVolumeAndOnlyTheHostReportsTheSave() {
        Harness h = cluster();
        h.applied(suspend("s1", RAM + (256L << 20), AT));
        assertThat(web(h).power()).isEqualTo(VmPower.SUSPENDED);
        assertThat(web(h).status()).as("the host has not saved it yet").isEqualTo(VmStatus.ACTIVE);
        assertThat(h.state().volume("s1")).get().extracting(Volume::name).isEqualTo("web-state");
        VmSavedState s = h.state().vmSavedState("vm1").orElseThrow();
        assertThat(s.saved()).isFalse();
        assertThat(s.resumePower()).isEqualTo(VmPower.RUNNING);
        // A replay of the same request changes nothing; a second suspend is refused.
        h.applied(suspend("s1", RAM + (256L << 20), AT));
        assertThat(h.rejected(suspend("s2", RAM + (256L << 20), AT.plusSeconds(1)), CONFLICT))
                .contains("is being suspended");

        assertThat(h.rejected(new ReportVmSuspendProgress("vm1", "n2", 10, AT), CONFLICT))
                .contains("only its host suspends and resumes it");
        h.applied(new ReportVmSuspendProgress("vm1", "n1", 1_000_000, AT.plusSeconds(1)));
        assertThat(h.state().vmSavedState("vm1").orElseThrow().stateBytes()).isEqualTo(1_000_000);
        assertThat(h.rejected(new CompleteVmSuspend("vm1", "n1", RAM + (512L << 20), 10, AT), INVALID))
                .contains("the state volume's size");
        assertThat(h.rejected(new CompleteVmSuspend("vm1", "n1", 0, 10, AT), INVALID)).contains("must be 1 to");
        h.applied(new CompleteVmSuspend("vm1", "n1", 5_000_000, 800, AT.plusSeconds(2)));
        assertThat(web(h).status()).isEqualTo(VmStatus.SUSPENDED);
        s = h.state().vmSavedState("vm1").orElseThrow();
        assertThat(s.saved()).isTrue();
        assertThat(s.stateBytes()).isEqualTo(5_000_000);
        assertThat(s.saveMillis()).isEqualTo(800);
        assertThat(h.rejected(suspend("s3", RAM + (256L << 20), AT.plusSeconds(3)), CONFLICT))
                .contains("is suspended already");
    }

    @Test
    void onlyARunningOrPausedVmIsSuspendedAndTheStateVolumeMustHoldItsRam() {
        Harness h = cluster();
        assertThat(h.rejected(suspend("s1", RAM - 1, AT), INVALID)).contains("cannot hold the " + RAM);
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, 0));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        assertThat(h.rejected(suspend("s1", RAM, AT), CONFLICT))
                .contains("is shutoff: only a running or paused VM can be suspended");
        assertThat(h.state().volume("s1")).as("a refused suspend makes no volume").isEmpty();
        assertThat(h.rejected(new SetVmPower("vm1", VmPower.SUSPENDED, null), INVALID)).contains("keel vm suspend");

        h.applied(new SetVmPower("vm1", VmPower.PAUSED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.PAUSED, "", null, AT));
        h.applied(suspend("s1", RAM, AT));
        assertThat(h.state().vmSavedState("vm1").orElseThrow().resumePower()).isEqualTo(VmPower.PAUSED);
    }

    @Test
    void aFailedSaveDeletesTheStateVolumeAndLeavesTheVmAsItWas() {
        Harness h = cluster();
        h.applied(suspend("s1", RAM, AT));
        assertThat(h.rejected(new FailVmSuspend("vm1", "n2", VmStatus.ACTIVE, "x", AT), CONFLICT))
                .contains("only its host");
        h.applied(new FailVmSuspend("vm1", "n1", VmStatus.ACTIVE, "QEMU said no", AT.plusSeconds(1)));
        assertThat(web(h).power()).isEqualTo(VmPower.RUNNING);
        assertThat(web(h).status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(web(h).statusReason()).isEqualTo("suspend failed: QEMU said no");
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("s1")).isEmpty();
        assertThat(h.rejected(new CompleteVmSuspend("vm1", "n1", 10, 1, AT), CONFLICT)).contains("not being suspended");
    }

    @Test
    void aResumeIsOnlyForASuspendedVmAndItsFinishDeletesTheStateVolume() {
        Harness h = cluster();
        assertThat(h.rejected(new ResumeVm("web", AT), CONFLICT))
                .contains("is active, not suspended: only a suspended VM can be resumed");
        h.applied(suspend("s1", RAM, AT));
        assertThat(h.rejected(new ResumeVm("web", AT), CONFLICT)).contains("is being suspended");
        h.applied(new CompleteVmSuspend("vm1", "n1", 5_000_000, 800, AT.plusSeconds(2)));

        assertThat(h.rejected(new FinishVmResume("vm1", "n1", 5, AT), CONFLICT)).contains("no longer to be resumed");
        h.applied(new ResumeVm("web", AT.plusSeconds(3)));
        assertThat(web(h).power()).isEqualTo(VmPower.RUNNING);
        assertThat(web(h).status()).as("until its host reports").isEqualTo(VmStatus.SUSPENDED);
        assertThat(h.rejected(new FinishVmResume("vm1", "n2", 5, AT), CONFLICT)).contains("only its host");
        h.applied(new FinishVmResume("vm1", "n1", 700, AT.plusSeconds(4)));
        assertThat(web(h).status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(web(h).statusReason()).contains("resumed from 5000000 bytes");
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("s1")).isEmpty();
    }

    @Test
    void aResumeThatFailedLeavesTheStateToTryAgain() {
        Harness h = suspended();
        h.applied(new ResumeVm("web", AT.plusSeconds(3)));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SUSPENDED, "resume failed: x", VmPower.SUSPENDED, AT));
        assertThat(h.state().vmSavedState("vm1")).get().extracting(VmSavedState::saved).isEqualTo(true);
        h.applied(new ResumeVm("web", AT.plusSeconds(5)));
        assertThat(web(h).power()).isEqualTo(VmPower.RUNNING);
    }

    @Test
    void aSuspendedVmRefusesStartPauseMigrateResizeRebootAndRevertWithTheReason() {
        Harness h = suspended();
        assertThat(h.rejected(new SetVmPower("vm1", VmPower.RUNNING, null), CONFLICT))
                .contains("is suspended: resume it (keel vm resume)").contains("stop it, which discards");
        assertThat(h.rejected(new SetVmPower("vm1", VmPower.PAUSED, null), CONFLICT)).contains("is suspended");
        assertThat(h.rejected(new StartVmMigration("web", "g1", "n2", AT), CONFLICT)).contains("is suspended");
        assertThat(h.rejected(new ResizeVm("vm1", "small", 1, 1024), CONFLICT)).contains("is suspended");
        assertThat(h.rejected(new RebootVm("vm1", false), CONFLICT)).contains("is suspended");
        // Its machine must stay as it was saved: no devices come or go.
        h.applied(new CreateVolume("d2", "disk-2", 1L << 30, 64 << 20, "single", AT));
        assertThat(h.rejected(new ClusterCommand.AttachVmVolume("web", "d2", null), CONFLICT))
                .contains("has a saved machine state").contains("attach disks once it runs again");
        h.applied(new ClusterCommand.CreateNetwork("out", NetworkType.NAT, null, AT));
        assertThat(h.rejected(new ClusterCommand.AttachVmNic("web", "out", "52:54:00:00:00:09"), CONFLICT))
                .contains("attach NICs once it runs again");
        assertThat(h.rejected(new ClusterCommand.RevertVm("vm1", "nosnap", false, AT), RejectionCodes.NOT_FOUND))
                .contains("has no snapshot");
        // Its state volume is no disk and is not deleted alone.
        assertThat(h.rejected(new DeleteVolume("s1", AT.plusSeconds(600)), CONFLICT))
                .contains("holds the saved state of suspended VM \"web\"");
        assertThat(h.rejected(new CreateVm("vm2", "other", "custom", 1, 512, List.of(new VmDiskRef("s1", false)),
                "n2", VmPlacement.AUTO, VmPower.STOPPED, null, List.of(), null, null, AT), CONFLICT))
                .contains("holds the saved state");
    }

    @Test
    void aStopDiscardsTheSavedStateAndTheVmCanThenBeDeleted() {
        Harness h = suspended();
        assertThat(h.rejected(new DeleteVm("vm1"), CONFLICT)).contains("stop it before deleting it");
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, 0));
        assertThat(web(h).power()).isEqualTo(VmPower.STOPPED);
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("s1")).isEmpty();
        h.applied(new DeleteVm("vm1"));
        assertThat(h.state().vm("vm1")).isEmpty();
    }

    @Test
    void deletingAVmDeletesAStateLeftBehind() {
        Harness h = suspended();
        // A stop recorded by an older node (before suspend existed) would not have discarded the state.
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", VmPower.STOPPED, AT));
        assertThat(h.state().vmSavedState("vm1")).isPresent();
        h.applied(new DeleteVm("vm1"));
        assertThat(h.state().vmSavedState("vm1")).isEmpty();
        assertThat(h.state().volume("s1")).isEmpty();
    }
}
