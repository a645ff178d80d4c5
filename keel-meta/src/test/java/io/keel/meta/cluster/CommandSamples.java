package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.CreateStorageCluster;
import io.keel.meta.cluster.ClusterCommand.DeleteLocation;
import io.keel.meta.cluster.ClusterCommand.JoinStorageCluster;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RenameLocation;
import io.keel.meta.cluster.ClusterCommand.RotateJoinToken;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import io.keel.meta.cluster.ClusterCommand.UpdateInventory;
import java.util.List;
import java.util.Map;

/** One instance of every command type, with every field set (nested maps, lists and times included). */
final class CommandSamples {
    private CommandSamples() {}

    static List<ClusterCommand> all() {
        return List.of(
                Fixtures.init(),
                Fixtures.register(2),
                new RotateJoinToken(Fixtures.token(Fixtures.TOKEN2, 2)),
                new UpdateInventory("n1", Fixtures.inventory()),
                new CreateStorageCluster("stor1", Fixtures.T0, true, List.of("n1", "n2"), Map.of(
                        "n1", Map.of("d1", DiskRole.METADATA, "d2", DiskRole.storage(2, true, true)),
                        "n2", Map.of("ssd", new DiskRole(DiskRole.Type.METADATA_CACHE, 1, false, false)))),
                new JoinStorageCluster("n3", Map.of("ssd", new DiskRole(DiskRole.Type.CACHE, 0, false, false),
                        "sys", DiskRole.SYSTEM)),
                new AssignDiskRole("n1", "d3", DiskRole.storage(3, false, false)),
                new CreateLocation("rack-a", Location.Type.RACK, "Rack A", "default-row"),
                new RenameLocation("rack-a", "Rack A (north)"),
                new DeleteLocation("rack-a"),
                new MoveNode("n1", "rack-a"),
                new SetMaintenance("n1", true),
                new ClusterCommand.CreatePolicy(new StoragePolicy("fast3", 0, FailureDomain.HOST, 3)),
                new ClusterCommand.DeletePolicy("fast3"),
                new ClusterCommand.RegisterChunkService(new ChunkServiceInfo("n1", "d2", "127.0.0.1", 9900,
                        1L << 40, 1L << 39, Fixtures.T0)),
                new ClusterCommand.CreateVolume("v1", "disk-1", 1L << 30, 64 << 20, "fast3", Fixtures.T0),
                new ClusterCommand.ExtendVolume("v1", 2L << 30),
                new ClusterCommand.SetVolumePolicy("v1", "fast3"),
                new ClusterCommand.DeleteVolume("v1", Fixtures.T0),
                new ClusterCommand.AcquireLease("v1", "n1", true, Fixtures.T0, 30_000),
                new ClusterCommand.RenewLease("v1", 3, Fixtures.T0, 30_000),
                new ClusterCommand.ReleaseLease("v1", 3),
                new ClusterCommand.AllocateChunk("v1", 2, 3, List.of(new ChunkReplica("n1", "d2"))),
                new ClusterCommand.DropReplica("v1", 2, 3, 1, new ChunkReplica("n1", "d2")),
                new ClusterCommand.AddReplica("v1", 2, 3, 1, new ChunkReplica("n1", "d2")),
                new ClusterCommand.CopyChunk("v1", 2, 3, "v1-0", List.of(new ChunkReplica("n1", "d2"))),
                new ClusterCommand.CreateSnapshot("v1", "s1", "before-upgrade", 3, Fixtures.T0),
                new ClusterCommand.DeleteSnapshot("s1"),
                new ClusterCommand.RevertVolume("v1", "s1", Fixtures.T0),
                new ClusterCommand.CloneVolume("s1", "v2", "disk-2", "fast3", Fixtures.T0),
                new ClusterCommand.ReleaseNode("n2", Fixtures.T0),
                new ClusterCommand.CancelRelease("n2"),
                new ClusterCommand.CreateComputeCluster(List.of("n1", "n2"), Fixtures.T0, Flavor.DEFAULTS),
                new ClusterCommand.AddComputeNode("n3"),
                new ClusterCommand.RemoveComputeNode("n3"),
                new ClusterCommand.DeleteComputeCluster(),
                new ClusterCommand.CreateFlavor(new Flavor("db-large", 16, 65536)),
                new ClusterCommand.DeleteFlavor("db-large"),
                new ClusterCommand.CreateVm("vm1", "web-1", "small", 1, 2048,
                        List.of(new VmDiskRef("v1", true), new VmDiskRef("v2", false)), "n1", VmPlacement.FAILOVER,
                        VmPower.RUNNING, "img1",
                        List.of(new ClusterCommand.CreateVolume("v2", "web-1-disk1", 1L << 30, 64 << 20, "fast",
                                Fixtures.T0)),
                        new ClusterCommand.CloneVolume("s1", "v1", "web-1-boot", null, Fixtures.T0), 2L << 30, Fixtures.T0),
                new ClusterCommand.SetVmPower("vm1", VmPower.STOPPED, 30),
                new ClusterCommand.RebootVm("vm1", true),
                new ClusterCommand.ReportVmStatus("vm1", "n1", VmStatus.ERROR, "QEMU exited with status 1",
                        VmPower.STOPPED, Fixtures.T0),
                new ClusterCommand.RenameVm("vm1", "web-2"),
                new ClusterCommand.DeleteVm("vm1"),
                new ClusterCommand.ResizeVm("vm1", "large", 4, 8192),
                new ClusterCommand.AttachVmVolume("vm1", "v3", new ClusterCommand.CreateVolume("v3", "web-1-disk2",
                        1L << 30, 64 << 20, "fast", Fixtures.T0)),
                new ClusterCommand.DetachVmVolume("vm1", "v3"),
                new ClusterCommand.CreateNetwork("lan", NetworkType.BRIDGE, "vmbr0", Fixtures.T0),
                new ClusterCommand.DeleteNetwork("lan"),
                new ClusterCommand.AttachVmNic("vm1", "lan", "52:54:00:12:34:56"),
                new ClusterCommand.DetachVmNic("vm1", "52:54:00:12:34:56"),
                new ClusterCommand.ReportVmNicDetached("vm1", "n1", "52:54:00:12:34:56"),
                new ClusterCommand.CreateVm("vm2", "web-2", "small", 1, 2048, List.of(new VmDiskRef("v1", true)), "n1",
                        VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, Fixtures.T0,
                        List.of(new VmNic(0, "lan", "52:54:00:00:00:01", false)), "i1"),
                new ClusterCommand.SetVmCdrom("vm1", "i1"),
                new ClusterCommand.SetVmCdrom("vm1", null),
                new ClusterCommand.ReportVmDiskDetached("vm1", "n1", "v3"),
                new ClusterCommand.CreateImage("i1", "debian-13", ImageFormat.QCOW2, "linux", true, "fast3",
                        Fixtures.T0),
                new ClusterCommand.UpdateImageStatus("i1", "u1", "n1", ImageStatus.ACTIVE, "ready", ImageFormat.QCOW2,
                        1L << 20, 8L << 20, "v1", "s1", Fixtures.T0),
                new ClusterCommand.DeleteImage("i1", Fixtures.T0),
                new ClusterCommand.StartVmMigration("vm1", "mig1", "n2", Fixtures.T0),
                new ClusterCommand.StartVmMigration("vm1", "mig1", "n2", Fixtures.T0, 100L << 20),
                new ClusterCommand.ReportMigrationReady("vm1", "mig1", "n2", "10.0.0.2:49152", Fixtures.T0),
                new ClusterCommand.ReportMigrationProgress("vm1", "mig1", "n1", 1L << 30, 1L << 29, 1L << 29,
                        Fixtures.T0),
                new ClusterCommand.CompleteVmMigration("vm1", "mig1", "n1", Fixtures.T0, 12L, Fixtures.T0),
                new ClusterCommand.FinishVmMigration("vm1", "mig1", "n2", Fixtures.T0, Fixtures.T0),
                new ClusterCommand.FailVmMigration("vm1", "mig1", "n2", false, "target QEMU exited", Fixtures.T0),
                new ClusterCommand.CancelVmMigration("vm1", Fixtures.T0),
                new ClusterCommand.RequestVmSnapshot("vm1", "vs1", "before-upgrade", true, Fixtures.T0,
                        new ClusterCommand.CreateVolume("v8", "web-snap-before-upgrade-state", 1L << 30, 64 << 20,
                                "single", Fixtures.T0)),
                new ClusterCommand.CreateVmSnapshot("vm1", "vs1", "before-upgrade", false,
                        List.of(new ClusterCommand.CreateSnapshot("v1", "s7", "before-upgrade", 3, Fixtures.T0)), 12,
                        Fixtures.T0, 0),
                new ClusterCommand.FailVmSnapshot("vm1", "vs1", "n1", "QMP stop timed out"),
                new ClusterCommand.DeleteVmSnapshot("vs1"),
                new ClusterCommand.RevertVm("vm1", "vs1", true, Fixtures.T0),
                new ClusterCommand.SuspendVm("vm1", new ClusterCommand.CreateVolume("v9", "web-state", 1L << 30,
                        64 << 20, "single", Fixtures.T0), Fixtures.T0),
                new ClusterCommand.ReportVmSuspendProgress("vm1", "n1", 1 << 20, Fixtures.T0),
                new ClusterCommand.CompleteVmSuspend("vm1", "n1", 96_276_901, 1848, Fixtures.T0),
                new ClusterCommand.FailVmSuspend("vm1", "n1", VmStatus.ACTIVE, "QEMU's save failed", Fixtures.T0),
                new ClusterCommand.ResumeVm("vm1", Fixtures.T0),
                new ClusterCommand.FinishVmResume("vm1", "n1", 621, Fixtures.T0),
                new ClusterCommand.SaveHaStatus(0, HaCommandsTest.status("n1", 3), Fixtures.T0),
                new ClusterCommand.ReportHa("n1", List.of(new io.keel.ha.LrmReport("n1", "vm:vm1", 3,
                        io.keel.ha.LrmReport.Outcome.RUNNING, Fixtures.T0))),
                new ClusterCommand.PlaceHaVm("vm1", "n1", 3),
                new ClusterCommand.AppendHaEvents(List.of(new HaEventRecord(0, Fixtures.T0, "NodeLost", "node n2 lost",
                        1.5))),
                new ClusterCommand.SetVmPlacement("vm1", VmPlacement.PINNED, "n1"));
    }
}
