package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteVolume;
import io.keel.meta.cluster.ClusterCommand.AttachVmVolume;
import io.keel.meta.cluster.IscsiCommand.AttachLun;
import io.keel.meta.cluster.IscsiCommand.CreateGroup;
import io.keel.meta.cluster.IscsiCommand.DeleteGroup;
import io.keel.meta.cluster.IscsiCommand.DetachLun;
import io.keel.meta.cluster.IscsiCommand.NodeAddress;
import io.keel.meta.cluster.IscsiCommand.ReplaceReservation;
import io.keel.meta.cluster.IscsiCommand.SetAccess;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IscsiCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(3600);

    /** Volumes v1, v2, v3 and group "san" (id g1) on n1 (portal 10.0.0.1) and n2 (management address). */
    private static Harness withGroup() {
        Harness h = Harness.withChunkServices();
        for (int i = 1; i <= 3; i++) {
            h.applied(new CreateVolume("v" + i, "vol-" + i, 1L << 30, 64 << 20, "single", AT));
        }
        h.applied(new CreateGroup("g1", "san", List.of(new NodeAddress("n1", "10.0.0.1"), new NodeAddress("n2", null)),
                AT));
        return h;
    }

    private static IscsiTargetGroup san(Harness h) {
        return h.state().iscsi().group("g1").orElseThrow();
    }

    @Test
    void aGroupGetsOneTargetPerNodeWithItsOwnIqnAndPortGroup() {
        Harness h = withGroup();
        IscsiTargetGroup g = san(h);
        assertThat(g.targets()).extracting(IscsiTargetGroup.Target::nodeId).containsExactly("n1", "n2");
        assertThat(g.targets()).extracting(IscsiTargetGroup.Target::portGroup).containsExactly(1, 2);
        assertThat(g.targets()).extracting(IscsiTargetGroup.Target::address).containsExactly("10.0.0.1", null);
        String n1Name = h.state().node("n1").orElseThrow().name().toLowerCase(java.util.Locale.ROOT);
        assertThat(g.targets().getFirst().iqn()).startsWith("iqn.2026-11.io.keel:").endsWith(":san." + n1Name);
        assertThat(g.targets().get(0).iqn()).isNotEqualTo(g.targets().get(1).iqn());
        assertThat(g.access()).isEqualTo(IscsiTargetGroup.Access.OPEN);
        assertThat(h.state().iscsi().groupByIdOrName("san")).contains(g);
        assertThat(h.state().iscsi().groupsOn("n2")).containsExactly(g);
        assertThat(h.state().iscsi().groupsOn("n3")).isEmpty();
    }

    @Test
    void badGroupsAreRefusedWithTheReason() {
        Harness h = withGroup();
        assertThat(h.rejected(new CreateGroup("g2", "san", List.of(new NodeAddress("n3", null)), AT), CONFLICT))
                .contains("already exists");
        assertThat(h.rejected(new CreateGroup("g2", "San_1", List.of(new NodeAddress("n3", null)), AT), INVALID))
                .contains("lower-case");
        assertThat(h.rejected(new CreateGroup("g2", "b", List.of(), AT), INVALID)).contains("at least one node");
        assertThat(h.rejected(new CreateGroup("g2", "b", List.of(new NodeAddress("n3", null),
                new NodeAddress("n3", null)), AT), INVALID)).contains("more than once");
        assertThat(h.rejected(new CreateGroup("g2", "b", List.of(new NodeAddress("n9", null)), AT), NOT_FOUND))
                .contains("do not exist");
        assertThat(h.rejected(new CreateGroup("g2", "b", List.of(new NodeAddress("n3", "host.example")), AT),
                INVALID)).contains("not an IP address");
        assertThat(h.rejected(new CreateGroup("g2", "b", List.of(new NodeAddress("n3", "0.0.0.0")), AT), INVALID))
                .contains("wildcard");
        assertThat(h.state().iscsi().groups()).hasSize(1);
    }

    @Test
    void lunsTakeTheLowestFreeNumberAndAVolumeBelongsToOneGroup() {
        Harness h = withGroup();
        assertThat(h.applied(new AttachLun("g1", "v1", null))).isEqualTo("0");
        assertThat(h.applied(new AttachLun("g1", "v2", 5))).isEqualTo("5");
        assertThat(h.applied(new AttachLun("g1", "v3", null))).isEqualTo("1");
        assertThat(san(h).luns()).extracting(IscsiTargetGroup.Lun::lun).containsExactly(0, 1, 5);
        h.applied(new CreateGroup("g2", "other", List.of(new NodeAddress("n3", null)), AT));
        assertThat(h.rejected(new AttachLun("g2", "v1", null), CONFLICT)).contains("already LUN 0 of target group \"san\"");
        assertThat(h.rejected(new AttachLun("g1", "v9", null), NOT_FOUND)).isNotEmpty();
        h.applied(new CreateVolume("v4", "vol-4", 1L << 30, 64 << 20, "single", AT));
        assertThat(h.rejected(new AttachLun("g1", "v4", 5), CONFLICT)).contains("LUN 5").contains("vol-2");
        assertThat(h.rejected(new AttachLun("g1", "v4", 256), INVALID)).contains("out of range");
        assertThat(h.rejected(new DeleteGroup("g1"), CONFLICT)).contains("3 LUN(s)");
        assertThat(h.rejected(new DeleteVolume("v1", AT), CONFLICT)).contains("is LUN 0 of target group");
        assertThat(h.rejected(new DetachLun("g1", 7), NOT_FOUND)).contains("no LUN 7");
        h.applied(new DetachLun("g1", 0));
        h.applied(new DetachLun("g1", 1));
        h.applied(new DetachLun("g1", 5));
        h.applied(new DeleteVolume("v1", AT));
        assertThat(h.applied(new DeleteGroup("g1"))).isEqualTo("g1");
        assertThat(h.state().iscsi().groups()).extracting(IscsiTargetGroup::name).containsExactly("other");
    }

    @Test
    void aVmDiskIsNoLunAndALunNoVmDisk() {
        Harness h = withGroup();
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), AT, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("v1", false)), "n1",
                VmPlacement.AUTO, VmPower.STOPPED, null, List.of(), null, null, AT, List.of(), null));
        assertThat(h.rejected(new AttachLun("g1", "v1", null), CONFLICT)).contains("is a disk of VM \"web\"");
        h.applied(new AttachLun("g1", "v2", null));
        assertThat(h.rejected(new AttachVmVolume("vm1", "v2", null), CONFLICT)).contains("is LUN 0 of target group");
    }

    @Test
    void accessKeepsSecretsApartAndChecksThem() {
        Harness h = withGroup();
        h.applied(new SetAccess("g1", List.of("IQN.1994-05.com.redhat:ESX1", "iqn.1994-05.com.redhat:esx1"), "admin",
                "s3cret-s3cret", "target", "other-secret1"));
        IscsiTargetGroup g = san(h);
        assertThat(g.access().initiators()).containsExactly("iqn.1994-05.com.redhat:esx1");
        assertThat(g.access().chapUser()).isEqualTo("admin");
        assertThat(h.state().iscsi().secrets("g1")).contains(new IscsiSecrets("s3cret-s3cret", "other-secret1"));
        assertThat(g.toString()).doesNotContain("s3cret");
        assertThat(h.state().iscsi().secrets("g1").orElseThrow().toString()).doesNotContain("s3cret");
        assertThat(new SetAccess("g1", List.of(), "admin", "s3cret-s3cret", null, null).toString())
                .doesNotContain("s3cret");

        // The same users without secrets keep the stored ones; a new user needs one.
        h.applied(new SetAccess("g1", List.of(), "admin", null, "target", null));
        assertThat(h.state().iscsi().secrets("g1")).contains(new IscsiSecrets("s3cret-s3cret", "other-secret1"));
        assertThat(h.rejected(new SetAccess("g1", List.of(), "root", null, null, null), INVALID))
                .contains("secret is required");
        assertThat(h.rejected(new SetAccess("g1", List.of(), "admin", "short", null, null), INVALID))
                .contains("12 to 16");
        assertThat(h.rejected(new SetAccess("g1", List.of(), "admin", "same-secret-1", "t", "same-secret-1"), INVALID))
                .contains("must differ");
        assertThat(h.rejected(new SetAccess("g1", List.of(), null, null, "t", "other-secret1"), INVALID))
                .contains("needs");
        assertThat(h.rejected(new SetAccess("g1", List.of("host1"), null, null, null, null), INVALID))
                .contains("not an iSCSI name");
        assertThat(h.state().iscsi().secrets("g1")).contains(new IscsiSecrets("s3cret-s3cret", "other-secret1"));

        h.applied(new SetAccess("g1", List.of(), null, null, null, null));
        assertThat(san(h).access()).isEqualTo(IscsiTargetGroup.Access.OPEN);
        assertThat(h.state().iscsi().secrets("g1")).isEmpty();
    }

    @Test
    void reservationsAreReplacedByCompareAndSet() {
        Harness h = withGroup();
        assertThat(h.rejected(new ReplaceReservation("v1", 0, "a"), NOT_FOUND)).contains("no LUN");
        h.applied(new AttachLun("g1", "v1", null));
        assertThat(h.applied(new ReplaceReservation("v1", 0, "a"))).isEqualTo("1");
        assertThat(h.rejected(new ReplaceReservation("v1", 0, "b"), CONFLICT)).contains("at version 1, not 0");
        assertThat(h.applied(new ReplaceReservation("v1", 1, "c"))).isEqualTo("2");
        assertThat(h.state().iscsi().reservation("v1")).contains(new IscsiReservation(2, "c"));
        assertThat(h.rejected(new ReplaceReservation("v1", 2, "x".repeat(IscsiReservation.MAX_STATE_CHARS + 1)),
                INVALID)).contains("above the limit");
        h.applied(new DetachLun("g1", 0));
        assertThat(h.state().iscsi().reservation("v1")).isEmpty();
    }

    @Test
    void anInventoryStoredBeforeNodesReportedTheirIscsiPortReadsAsNoIscsi() {
        ClusterCodec codec = new ClusterCodec();
        String old = "{\"hostname\":\"h\",\"os\":\"linux\",\"cpuModel\":\"x\",\"cpuCores\":2,\"memoryBytes\":1,"
                + "\"interfaces\":[],\"disks\":[],\"accelerator\":null}";
        Inventory i = codec.read(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), Inventory.class);
        assertThat(i.iscsiPort()).isZero();
        assertThat(i.withIscsiPort(3260).iscsiPort()).isEqualTo(3260);
    }
}
