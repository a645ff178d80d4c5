package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CancelVmMigration;
import io.keel.meta.cluster.ClusterCommand.CompleteVmMigration;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.FailVmMigration;
import io.keel.meta.cluster.ClusterCommand.FinishVmMigration;
import io.keel.meta.cluster.ClusterCommand.ReportMigrationProgress;
import io.keel.meta.cluster.ClusterCommand.ReportMigrationReady;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import io.keel.meta.cluster.ClusterCommand.StartVmMigration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmMigrationCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);

    /** Three compute nodes (4 CPUs, 8 GiB: 7168 MiB for VMs); VM "web" (2048 MiB) ACTIVE on n1. */
    private static Harness cluster() {
        Harness h = Harness.withChunkServices();
        for (int i = 1; i <= 4; i++) {
            h.applied(new CreateVolume("d" + i, "disk-" + i, 1L << 30, 64 << 20, "single", AT));
        }
        h.applied(new CreateComputeCluster(List.of("n1", "n2", "n3"), AT, Flavor.DEFAULTS));
        h.applied(vm("vm1", "web", "n1", 2048, "d1"));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    private static CreateVm vm(String id, String name, String node, int ramMiB, String volume) {
        return new CreateVm(id, name, "custom", 1, ramMiB, List.of(new VmDiskRef(volume, true)), node,
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT);
    }

    private static Vm web(Harness h) {
        return h.state().vm("vm1").orElseThrow();
    }

    @Test
    void aMigrationRunsItsPhasesEachReportedByItsNodeAndFlipsTheHostAtTheSwitchOver() {
        Harness h = cluster();
        h.applied(new StartVmMigration("web", "mig1", "n2", AT));
        assertThat(web(h).status()).isEqualTo(VmStatus.MIGRATING);
        assertThat(web(h).migration().phase()).isEqualTo(MigrationPhase.PREPARING);
        assertThat(web(h).migration().sourceNodeId()).isEqualTo("n1");

        assertThat(h.rejected(new ReportMigrationReady("vm1", "mig1", "n1", "127.0.0.1:5000", AT), CONFLICT))
                .contains("only node \"n2\", its target, reports this step");
        assertThat(h.rejected(new ReportMigrationReady("vm1", "mig0", "n2", "127.0.0.1:5000", AT), CONFLICT))
                .contains("is not the current one");
        assertThat(h.rejected(new ReportMigrationReady("vm1", "mig1", "n2", "no port", AT), INVALID))
                .contains("host:port");
        assertThat(h.rejected(new ReportMigrationProgress("vm1", "mig1", "n1", 10, 5, 5, AT), CONFLICT))
                .contains("is preparing, not transferring");
        h.applied(new ReportMigrationReady("vm1", "mig1", "n2", "127.0.0.1:5000", AT));
        assertThat(web(h).migration().incoming()).isEqualTo("127.0.0.1:5000");

        assertThat(h.rejected(new ReportMigrationProgress("vm1", "mig1", "n2", 10, 5, 5, AT), CONFLICT))
                .contains("its source");
        h.applied(new ReportMigrationProgress("vm1", "mig1", "n1", 2048L << 20, 1024L << 20, 1024L << 20, AT));
        assertThat(web(h).migration().ramTransferredBytes()).isEqualTo(1024L << 20);
        // Only the host reports status, and the host has not changed yet.
        assertThat(h.rejected(new FinishVmMigration("vm1", "mig1", "n2", AT, AT), CONFLICT)).contains("not switching");

        Instant stopped = AT.plusSeconds(3);
        h.applied(new CompleteVmMigration("vm1", "mig1", "n1", stopped, 9L, stopped.plusMillis(40)));
        assertThat(web(h).nodeId()).isEqualTo("n2");
        assertThat(web(h).status()).isEqualTo(VmStatus.MIGRATING);
        assertThat(h.rejected(new CancelVmMigration("vm1", AT), CONFLICT)).contains("too late to cancel");
        assertThat(h.rejected(new FinishVmMigration("vm1", "mig1", "n1", AT, AT), CONFLICT)).contains("its target");

        h.applied(new FinishVmMigration("vm1", "mig1", "n2", stopped.plusMillis(120), stopped.plusMillis(130)));
        Vm done = web(h);
        assertThat(done.status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(done.nodeId()).isEqualTo("n2");
        assertThat(done.migration().phase()).isEqualTo(MigrationPhase.COMPLETED);
        assertThat(done.migration().downtimeMs()).isEqualTo(9L);
        assertThat(done.migration().pauseMs()).isEqualTo(120L);
        assertThat(done.migration().totalMs()).isEqualTo(3120L);
        assertThat(h.state().vmsOn("n2")).extracting(Vm::id).containsExactly("vm1");
        assertThat(h.rejected(new FailVmMigration("vm1", "mig1", "n2", false, "late", AT), CONFLICT))
                .contains("completed already");
    }

    @Test
    void badStartsAreRefusedWithTheReasonChangingNothing() {
        Harness h = cluster();
        assertThat(h.rejected(new StartVmMigration("web", "mig1", "n1", AT), INVALID)).contains("already runs on node");
        assertThat(h.rejected(new StartVmMigration("web", "mig1", "n2", AT, 1000L), INVALID))
                .contains("bandwidth limit must be between 1 MiB/s and 100 GiB/s");
        assertThat(h.rejected(new StartVmMigration("web", "mig1", "n9", AT), NOT_FOUND)).contains("n9");
        assertThat(h.rejected(new StartVmMigration("nope", "mig1", "n2", AT), NOT_FOUND)).contains("no VM \"nope\"");
        h.applied(vm("vm2", "db", "n1", 512, "d2"));
        assertThat(h.rejected(new StartVmMigration("db", "mig1", "n2", AT), CONFLICT))
                .contains("is build: only a running VM is migrated live");
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        assertThat(h.rejected(new StartVmMigration("web", "mig1", "n2", AT), CONFLICT)).contains("only a running VM");
        assertThat(web(h).migration()).isNull();
        h.applied(new SetVmPower("vm1", VmPower.RUNNING, null));
        h.applied(new StartVmMigration("web", "mig1", "n2", AT));
        assertThat(h.rejected(new StartVmMigration("web", "mig2", "n3", AT), CONFLICT))
                .contains("is already migrating to node \"n2\"");
        assertThat(web(h).migration().id()).isEqualTo("mig1");
    }

    @Test
    void theMovingVmHoldsRoomOnBothNodes() {
        Harness h = cluster();
        h.applied(vm("vm2", "big", "n2", 5120, "d2"));
        // n2 has 7168 - 5120 = 2048 MiB left: exactly web's size.
        h.applied(new StartVmMigration("web", "mig1", "n2", AT));
        assertThat(h.rejected(vm("vm3", "more", "n2", 512, "d3"), CONFLICT)).contains("has 0 MiB of RAM left");
        // The source keeps web's claim too: 7168 - 2048 left there.
        assertThat(ComputeCapacity.of(h.state(), h.node("n1"), null).ramFreeMiB()).isEqualTo(5120);
        h.applied(new ReportMigrationReady("vm1", "mig1", "n2", "127.0.0.1:5000", AT));
        h.applied(new CompleteVmMigration("vm1", "mig1", "n1", AT, 5L, AT));
        assertThat(ComputeCapacity.of(h.state(), h.node("n1"), null).ramFreeMiB()).isEqualTo(5120);
        h.applied(new FinishVmMigration("vm1", "mig1", "n2", AT, AT));
        assertThat(ComputeCapacity.of(h.state(), h.node("n1"), null).ramFreeMiB()).isEqualTo(7168);
        assertThat(ComputeCapacity.of(h.state(), h.node("n2"), null).ramFreeMiB()).isEqualTo(0);
        // A target without room is refused.
        h.applied(new ReportVmStatus("vm2", "n2", VmStatus.ACTIVE, "", null, AT));
        h.applied(vm("vm3", "huge", "n3", 6144, "d3"));
        assertThat(h.rejected(new StartVmMigration("big", "mig2", "n3", AT), CONFLICT))
                .contains("has 1024 MiB of RAM left for VMs (of 7168), not the 5120 MiB this VM needs");
    }

    @Test
    void aFailedOrCancelledMigrationLeavesTheVmRunningOnTheSource() {
        Harness h = cluster();
        h.applied(new StartVmMigration("web", "mig1", "n3", AT));
        h.applied(new ReportMigrationReady("vm1", "mig1", "n3", "127.0.0.1:5000", AT));
        h.applied(new CancelVmMigration("web", AT));
        assertThat(web(h).migration().cancelRequested()).isTrue();
        assertThat(h.rejected(new FailVmMigration("vm1", "mig1", "n2", true, "x", AT), CONFLICT))
                .contains("takes no part");
        h.applied(new FailVmMigration("vm1", "mig1", "n1", true, "cancelled by the administrator", AT));
        Vm v = web(h);
        assertThat(v.nodeId()).isEqualTo("n1");
        assertThat(v.status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(v.migration().phase()).isEqualTo(MigrationPhase.CANCELLED);
        assertThat(v.statusReason()).contains("cancelled");
        assertThat(h.rejected(new CancelVmMigration("web", AT), CONFLICT)).contains("is not migrating");

        // Again, and the target gives up: the source carries on.
        h.applied(new StartVmMigration("web", "mig2", "n3", AT));
        h.applied(new FailVmMigration("vm1", "mig2", "n3", false, "the target's QEMU exited", AT));
        assertThat(web(h).status()).isEqualTo(VmStatus.ACTIVE);
        assertThat(web(h).migration().phase()).isEqualTo(MigrationPhase.FAILED);
        assertThat(web(h).migration().reason()).isEqualTo("the target's QEMU exited");
        assertThat(ComputeCapacity.of(h.state(), h.node("n3"), null).ramFreeMiB()).isEqualTo(7168);

        // A cancel cuts the stream: the target may fail on it and report before the source.
        h.applied(new StartVmMigration("web", "mig3", "n3", AT));
        h.applied(new CancelVmMigration("web", AT));
        h.applied(new FailVmMigration("vm1", "mig3", "n3", false, "load of migration failed", AT));
        assertThat(web(h).migration().phase()).isEqualTo(MigrationPhase.CANCELLED);
        assertThat(web(h).migration().reason()).startsWith("cancelled by request");
    }

    @Test
    void anOldRecordWithoutMigrationDecodes() {
        ClusterCodec codec = new ClusterCodec();
        Harness h = cluster();
        String json = new String(codec.write(web(h)), java.nio.charset.StandardCharsets.UTF_8)
                .replace(",\"migration\":null", "");
        assertThat(json).doesNotContain("migration");
        Vm old = codec.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Vm.class);
        assertThat(old.migration()).isNull();
        assertThat(old.migrating()).isFalse();
    }
}
