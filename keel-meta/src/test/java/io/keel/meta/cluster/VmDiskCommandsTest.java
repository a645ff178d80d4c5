package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AttachVmVolume;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DetachVmVolume;
import io.keel.meta.cluster.ClusterCommand.ReportVmDiskDetached;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import io.keel.meta.cluster.ClusterCommand.StartVmMigration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmDiskCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);

    /** VM "web" on n1 with boot disk d1, running; volumes d2..d4 free. */
    private static Harness running() {
        Harness h = Harness.withChunkServices();
        for (int i = 1; i <= 4; i++) {
            h.applied(new CreateVolume("d" + i, "disk-" + i, 1L << 30, 64 << 20, "single", AT));
        }
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), AT, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("d1", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    private static Vm web(Harness h) {
        return h.state().vm("vm1").orElseThrow();
    }

    @Test
    void attachedDisksTakeTheLowestFreeSlotAndKeepIt() {
        Harness h = running();
        assertThat(web(h).disks()).extracting(VmDiskRef::slot).containsExactly(0);
        h.applied(new AttachVmVolume("web", "d2", null));
        h.applied(new AttachVmVolume("vm1", "d3", null));
        assertThat(web(h).disks()).extracting(VmDiskRef::volumeId, VmDiskRef::slot)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d1", 0), org.assertj.core.groups.Tuple.tuple("d2", 1),
                        org.assertj.core.groups.Tuple.tuple("d3", 2));
        assertThat(web(h).disk("d2").orElseThrow().ownedByVm()).isFalse();

        // Detaching d2 from a running VM waits for its host; d3 keeps slot 2 meanwhile and after.
        h.applied(new DetachVmVolume("web", "d2"));
        assertThat(web(h).disk("d2").orElseThrow().detaching()).isTrue();
        assertThat(h.rejected(new AttachVmVolume("other", "d2", null), NOT_FOUND)).contains("no VM");
        h.applied(new ReportVmDiskDetached("vm1", "n1", "d2"));
        assertThat(web(h).disks()).extracting(VmDiskRef::volumeId).containsExactly("d1", "d3");
        assertThat(web(h).disk("d3").orElseThrow().slot()).isEqualTo(2);

        // The freed slot is the next one given.
        h.applied(new AttachVmVolume("web", "d4", null));
        assertThat(web(h).disk("d4").orElseThrow().slot()).isEqualTo(1);
    }

    @Test
    void aNewVolumeIsMadeByTheAttachAndBelongsToTheVm() {
        Harness h = running();
        h.applied(new AttachVmVolume("web", "n1v", new CreateVolume("n1v", "web-data", 1L << 30, 64 << 20, "single", AT)));
        assertThat(h.state().volume("n1v")).isPresent();
        assertThat(web(h).disk("n1v").orElseThrow().ownedByVm()).isTrue();
        // A refused attach makes no volume.
        assertThat(h.rejected(new AttachVmVolume("web", "n2v",
                new CreateVolume("n2v", "web-data2", 1L << 30, 64 << 20, "nope", AT)), NOT_FOUND)).contains("nope");
        assertThat(h.state().volume("n2v")).isEmpty();
    }

    @Test
    void aStoppedVmLosesTheDiskAtOnceAndAStopDropsDetachingDisks() {
        Harness h = running();
        h.applied(new AttachVmVolume("web", "d2", null));
        h.applied(new AttachVmVolume("web", "d3", null));
        h.applied(new DetachVmVolume("web", "d2"));
        // The host reports the VM off: no QEMU holds the device, so the detach is complete.
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        assertThat(web(h).disks()).extracting(VmDiskRef::volumeId).containsExactly("d1", "d3");
        h.applied(new DetachVmVolume("web", "d3"));
        assertThat(web(h).disks()).extracting(VmDiskRef::volumeId).containsExactly("d1");
    }

    @Test
    void badAttachesAndDetachesAreRefusedWithTheReason() {
        Harness h = running();
        Vm before = web(h);
        assertThat(h.rejected(new AttachVmVolume("web", "d1", null), CONFLICT)).contains("already a disk of VM \"web\"");
        assertThat(h.rejected(new AttachVmVolume("web", "zz", null), NOT_FOUND)).contains("does not exist");
        assertThat(h.rejected(new DetachVmVolume("web", "d1"), INVALID)).contains("is the boot disk");
        assertThat(h.rejected(new DetachVmVolume("web", "d2"), NOT_FOUND)).contains("is not a disk of VM");
        assertThat(h.rejected(new ReportVmDiskDetached("vm1", "n1", "d1"), CONFLICT)).contains("is not being detached");
        h.applied(new AttachVmVolume("web", "d2", null));
        h.applied(new DetachVmVolume("web", "d2"));
        assertThat(h.rejected(new ReportVmDiskDetached("vm1", "n2", "d2"), CONFLICT)).contains("only its host");
        assertThat(h.rejected(new StartVmMigration("vm1", "m1", "n2", AT), CONFLICT)).contains("is being detached");
        h.applied(new CreateVm("vm2", "db", "custom", 1, 512, List.of(new VmDiskRef("d3", true)), "n2",
                VmPlacement.AUTO, VmPower.STOPPED, null, List.of(), null, null, AT));
        assertThat(h.rejected(new AttachVmVolume("web", "d3", null), CONFLICT))
                .contains("is attached to VM \"db\": a volume belongs to one VM at a time");
        assertThat(before.disks()).hasSize(1);
    }

    /** Image {@code id} named {@code name}, uploaded and ACTIVE in {@code format}. */
    private static void image(Harness h, String id, String name, ImageFormat format) {
        h.applied(new ClusterCommand.CreateImage(id, name, format, "linux", false, "single", AT));
        h.applied(status(id, ImageStatus.UPLOADING, format, null, null));
        h.applied(new ClusterCommand.CreateVolume("v" + id, Image.volumeName(name), 1L << 20, 64 << 20, "single", AT));
        h.applied(status(id, ImageStatus.CONVERTING, format, "v" + id, null));
        h.applied(new ClusterCommand.CreateSnapshot("v" + id, "s" + id, Image.GOLDEN_SNAPSHOT, 0, AT));
        h.applied(status(id, ImageStatus.ACTIVE, format, "v" + id, "s" + id));
    }

    private static ClusterCommand.UpdateImageStatus status(String id, ImageStatus s, ImageFormat format, String volume,
            String snapshot) {
        return new ClusterCommand.UpdateImageStatus(id, "u" + id, "n1", s, null, format, 1L << 20, 1L << 20, volume,
                snapshot, AT);
    }

    @Test
    void anIsoGoesInTheCdromDriveAndCannotBeDeletedFromUnderIt() {
        Harness h = running();
        image(h, "i1", "installer", ImageFormat.ISO);
        image(h, "i2", "debian", ImageFormat.QCOW2);
        h.applied(new ClusterCommand.SetVmCdrom("web", "i1"));
        assertThat(web(h).cdromImageId()).isEqualTo("i1");
        assertThat(h.rejected(new ClusterCommand.DeleteImage("i1", AT), CONFLICT))
                .contains("is in the CD-ROM drive of VMs \"web\"");
        assertThat(h.rejected(new ClusterCommand.SetVmCdrom("web", "i2"), INVALID))
                .contains("is a qcow2 image, not an ISO");
        assertThat(h.rejected(new ClusterCommand.SetVmCdrom("web", "nope"), NOT_FOUND)).contains("no image");
        assertThat(web(h).cdromImageId()).isEqualTo("i1");
        h.applied(new ClusterCommand.SetVmCdrom("web", null));
        assertThat(web(h).cdromImageId()).isNull();
        h.applied(new ClusterCommand.DeleteImage("i1", AT));
        // A VM created with a CD in its drive.
        image(h, "i3", "rescue", ImageFormat.ISO);
        h.applied(new CreateVm("vm2", "db", "custom", 1, 512, List.of(new VmDiskRef("d2", true)), "n2",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT, List.of(), "i3"));
        assertThat(h.state().vm("vm2").orElseThrow().cdromImageId()).isEqualTo("i3");
        assertThat(h.rejected(new CreateVm("vm3", "db3", "custom", 1, 512, List.of(new VmDiskRef("d3", true)), "n2",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT, List.of(), "i2"), INVALID))
                .contains("not an ISO");
        assertThat(h.state().vm("vm3")).isEmpty();
    }

    @Test
    void aVmHasAtMostSixteenDisks() {
        Harness h = running();
        for (int i = 1; i < VmCommands.MAX_DISKS; i++) {
            h.applied(new AttachVmVolume("web", "x" + i, new CreateVolume("x" + i, "x-" + i, 1L << 20, 64 << 20,
                    "single", AT)));
        }
        assertThat(web(h).disks()).hasSize(VmCommands.MAX_DISKS);
        assertThat(h.rejected(new AttachVmVolume("web", "d2", null), CONFLICT)).contains("the most a VM can have");
    }
}
