package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteComputeCluster;
import io.keel.meta.cluster.ClusterCommand.DeleteVm;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.RebootVm;
import io.keel.meta.cluster.ClusterCommand.RemoveComputeNode;
import io.keel.meta.cluster.ClusterCommand.RenameVm;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.ResizeVm;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);

    /** Three storage and compute nodes (4 CPUs, 8 GiB each), policy "single", volumes d1..d3. */
    private static Harness cluster() {
        Harness h = Harness.withChunkServices();
        for (int i = 1; i <= 3; i++) {
            h.applied(new CreateVolume("d" + i, "disk-" + i, 1L << 30, 64 << 20, "single", AT));
        }
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), AT, Flavor.DEFAULTS));
        return h;
    }

    private static CreateVm vm(String id, String name, String node, int ramMiB, String... volumes) {
        return new CreateVm(id, name, "custom", 1, ramMiB,
                List.of(volumes).stream().map(v -> new VmDiskRef(v, true)).toList(), node, VmPlacement.AUTO,
                VmPower.RUNNING, null, List.of(), null, null, AT);
    }

    @Test
    void aCreatedVmIsInBuildOnItsNodeWithItsDisks() {
        Harness h = cluster();
        assertThat(h.applied(vm("vm1", "web", "n1", 512, "d1", "d2"))).isEqualTo("vm1");
        Vm v = h.state().vmByIdOrName("web").orElseThrow();
        assertThat(v.status()).isEqualTo(VmStatus.BUILD);
        assertThat(v.power()).isEqualTo(VmPower.RUNNING);
        assertThat(v.disks()).extracting(VmDiskRef::volumeId).containsExactly("d1", "d2");
        assertThat(h.state().vmsOn("n1")).containsExactly(v);
        // Delivered twice (a retried submit): applied once, answered as applied.
        assertThat(h.applied(vm("vm1", "web", "n1", 512, "d1", "d2"))).isEqualTo("vm1");
        assertThat(h.state().vms()).hasSize(1);
    }

    @Test
    void aVolumeBelongsToOneVmAndCannotBeDeletedUnderIt() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        assertThat(h.rejected(vm("vm2", "db", "n2", 512, "d2", "d1"), CONFLICT))
                .isEqualTo("volume \"disk-1\" is attached to VM \"web\": a volume belongs to one VM at a time");
        assertThat(h.state().vm("vm2")).isEmpty();
        assertThat(h.rejected(new DeleteVolume("d1", AT), CONFLICT)).contains("is a disk of VM \"web\"");
    }

    @Test
    void badVmsAreRefusedWithTheReasonWritingNothing() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        assertThat(h.rejected(vm("vm2", "web", "n1", 512, "d2"), CONFLICT)).isEqualTo("a VM named \"web\" already exists");
        assertThat(h.rejected(vm("vm2", "bad name", "n1", 512, "d2"), INVALID)).contains("VM name \"bad name\"");
        assertThat(h.rejected(vm("vm2", "db", "n3", 512, "d2"), INVALID)).contains("is not in the compute cluster");
        assertThat(h.rejected(vm("vm2", "db", "n1", 512), INVALID)).isEqualTo("a VM needs at least a boot disk");
        assertThat(h.rejected(vm("vm2", "db", "n1", 512, "d2", "d2"), INVALID)).contains("listed twice");
        assertThat(h.rejected(vm("vm2", "db", "n1", 512, "nope"), NOT_FOUND)).contains("\"nope\" does not exist");
        assertThat(h.rejected(vm("vm2", "db", "n1", 130, "d2"), INVALID)).contains("RAM must be a multiple of 4");
        // 8 GiB hosts keep 1 GiB: a 16 GiB VM fits on no node, however empty.
        assertThat(h.rejected(vm("vm2", "db", "n1", 16384, "d2"), INVALID))
                .contains("has 4 CPUs and 7168 MiB of RAM for VMs").contains("does not fit on it even when empty");
        assertThat(h.state().vms()).hasSize(1);
    }

    @Test
    void ramIsNotOvercommitted() {
        Harness h = cluster();
        h.applied(vm("vm1", "big", "n1", 6144, "d1"));
        assertThat(h.rejected(vm("vm2", "more", "n1", 2048, "d2"), CONFLICT))
                .contains("has 1024 MiB of RAM left for VMs (of 7168), not the 2048 MiB this VM needs");
        assertThat(h.applied(vm("vm2", "more", "n2", 2048, "d2"))).isEqualTo("vm2");
    }

    @Test
    void onlyTheHostReportsStatusAndAGuestPowerOffIsAdopted() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        assertThat(h.rejected(new ReportVmStatus("vm1", "n2", VmStatus.SHUTOFF, "", null, AT), CONFLICT))
                .contains("only its host reports its status");
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        assertThat(h.state().vm("vm1").orElseThrow().status()).isEqualTo(VmStatus.ACTIVE);
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "the guest powered off", VmPower.STOPPED, AT));
        Vm v = h.state().vm("vm1").orElseThrow();
        assertThat(v.status()).isEqualTo(VmStatus.SHUTOFF);
        assertThat(v.statusReason()).isEqualTo("the guest powered off");
        assertThat(v.power()).isEqualTo(VmPower.STOPPED);
    }

    @Test
    void powerChangesCarryTheStopModeAndRebootsCount() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        assertThat(h.rejected(new RebootVm("vm1", false), CONFLICT)).contains("only a running VM can be rebooted");
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        h.applied(new RebootVm("web", true));
        assertThat(h.state().vm("vm1").orElseThrow().rebootSeq()).isEqualTo(1);
        assertThat(h.state().vm("vm1").orElseThrow().rebootHard()).isTrue();
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, 0));
        Vm v = h.state().vm("vm1").orElseThrow();
        assertThat(v.power()).isEqualTo(VmPower.STOPPED);
        assertThat(v.stop().isHard()).isTrue();
        assertThat(h.rejected(new SetVmPower("vm1", VmPower.STOPPED, -1), INVALID)).contains("stop timeout");
    }

    @Test
    void aVmIsDeletedOnlyWhenStoppedAndHoldsItsNodeInTheComputeCluster() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        assertThat(h.rejected(new RemoveComputeNode("n1"), CONFLICT)).contains("hosts VMs \"web\"");
        assertThat(h.rejected(new DeleteComputeCluster(), CONFLICT)).contains("VMs \"web\" exist");
        assertThat(h.rejected(new DeleteVm("vm1"), CONFLICT)).contains("stop it before deleting it");
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        assertThat(h.rejected(new DeleteVm("vm1"), CONFLICT)).contains("is active");
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        h.applied(new DeleteVm("web"));
        assertThat(h.state().vms()).isEmpty();
        h.applied(new DeleteVolume("d1", AT));
    }

    @Test
    void theVolumesMadeForAVmAreCreatedWithItOrNotAtAll() {
        Harness h = cluster();
        CreateVolume data = new CreateVolume("nv1", "web-disk1", 1L << 30, 64 << 20, "single", AT);
        CreateVm c = new CreateVm("vm1", "web", "small", 1, 512,
                List.of(new VmDiskRef("d1", false), new VmDiskRef("nv1", true)), "n1", VmPlacement.AUTO,
                VmPower.RUNNING, null, List.of(data), null, null, AT);
        h.applied(c);
        assertThat(h.state().volumeByIdOrName("web-disk1")).isPresent();
        // Refused for its size: the new volume is not created either.
        CreateVolume other = new CreateVolume("nv2", "db-disk1", 1L << 30, 64 << 20, "single", AT);
        assertThat(h.rejected(new CreateVm("vm2", "db", "small", 1, 16384, List.of(new VmDiskRef("nv2", true)), "n2",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(other), null, null, AT), INVALID)).contains("does not fit");
        assertThat(h.state().volume("nv2")).isEmpty();
        // A bad new volume refuses the VM.
        CreateVolume badPolicy = new CreateVolume("nv3", "db-disk1", 1L << 30, 64 << 20, "nope", AT);
        assertThat(h.rejected(new CreateVm("vm2", "db", "small", 1, 512, List.of(new VmDiskRef("nv3", true)), "n2",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(badPolicy), null, null, AT), NOT_FOUND)).contains("nope");
        assertThat(h.state().vm("vm2")).isEmpty();
    }

    @Test
    void aShutOffVmIsResizedWithinItsNodesRoom() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        h.applied(vm("vm2", "db", "n1", 4096, "d2"));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        assertThat(h.rejected(new ResizeVm("vm1", "medium", 2, 4096), CONFLICT)).contains("resized while it is shut off");
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        // 7168 MiB on n1, 4096 held by db: web may grow to 3072, not 4096; its own 512 does not count.
        assertThat(h.rejected(new ResizeVm("vm1", "medium", 2, 4096), CONFLICT)).contains("3072 MiB of RAM left");
        h.applied(new ResizeVm("vm1", "custom", 2, 3072));
        Vm v = h.state().vm("vm1").orElseThrow();
        assertThat(v.vcpus()).isEqualTo(2);
        assertThat(v.ramMiB()).isEqualTo(3072);
        assertThat(h.rejected(new ResizeVm("vm1", "x", 0, 512), INVALID)).contains("vCPUs must be");
    }

    @Test
    void aBootDiskClonedFromAnImageIsGrownInTheSameCommandOrNothingIsMade() {
        Harness h = cluster();
        h.applied(new ClusterCommand.CreateSnapshot("d3", "s1", "golden", 0, AT));
        ClusterCommand.CloneVolume boot = new ClusterCommand.CloneVolume("s1", "nb", "web-boot", null, AT);
        CreateVm small = new CreateVm("vm1", "web", "small", 1, 512, List.of(new VmDiskRef("nb", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), boot, 512L << 20, AT);
        assertThat(h.rejected(small, INVALID)).contains("cannot be smaller than it");
        assertThat(h.state().volume("nb")).isEmpty();
        assertThat(h.state().vm("vm1")).isEmpty();
        h.applied(new CreateVm("vm1", "web", "small", 1, 512, List.of(new VmDiskRef("nb", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), boot, 2L << 30, AT));
        assertThat(h.state().volume("nb").orElseThrow().sizeBytes()).isEqualTo(2L << 30);
    }

    @Test
    void renameKeepsNamesUnique() {
        Harness h = cluster();
        h.applied(vm("vm1", "web", "n1", 512, "d1"));
        h.applied(vm("vm2", "db", "n1", 512, "d2"));
        assertThat(h.rejected(new RenameVm("vm2", "web"), CONFLICT)).contains("already exists");
        h.applied(new RenameVm("vm2", "db-1"));
        assertThat(h.state().vmByIdOrName("db-1")).isPresent();
    }
}
