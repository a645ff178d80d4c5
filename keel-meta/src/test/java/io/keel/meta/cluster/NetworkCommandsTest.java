package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AttachVmNic;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateNetwork;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.DeleteNetwork;
import io.keel.meta.cluster.ClusterCommand.DetachVmNic;
import io.keel.meta.cluster.ClusterCommand.ReportVmNicDetached;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);
    private static final String MAC1 = "52:54:00:00:00:01";
    private static final String MAC2 = "52:54:00:00:00:02";

    /** Networks "lan" (bridge vmbr0) and "nat"; VM "web" on n1 with a NIC on lan, running. */
    private static Harness running() {
        Harness h = Harness.withChunkServices();
        h.applied(new CreateVolume("d1", "disk-1", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateVolume("d2", "disk-2", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateComputeCluster(List.of("n1", "n2"), AT, Flavor.DEFAULTS));
        assertThat(h.applied(new CreateNetwork("lan", NetworkType.BRIDGE, "vmbr0", AT))).isEqualTo("lan");
        h.applied(new CreateNetwork("nat", NetworkType.NAT, null, AT));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("d1", true)), "n1",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT,
                List.of(new VmNic(5, "lan", MAC1, true)), null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    private static Vm web(Harness h) {
        return h.state().vm("vm1").orElseThrow();
    }

    @Test
    void networksAreCheckedAndNotDeletedUnderNics() {
        Harness h = running();
        assertThat(h.state().networks()).extracting(Network::name).containsExactly("lan", "nat");
        assertThat(h.state().network("lan").orElseThrow().bridge()).isEqualTo("vmbr0");
        assertThat(h.rejected(new CreateNetwork("lan", NetworkType.NAT, null, AT), CONFLICT)).contains("already exists");
        assertThat(h.rejected(new CreateNetwork("x", NetworkType.BRIDGE, null, AT), INVALID)).contains("bridge");
        assertThat(h.rejected(new CreateNetwork("x", NetworkType.BRIDGE, "a/b", AT), INVALID))
                .contains("not a Linux interface name");
        assertThat(h.rejected(new CreateNetwork("x", NetworkType.BRIDGE, "a-very-long-bridge", AT), INVALID))
                .contains("not a Linux interface name");
        assertThat(h.rejected(new CreateNetwork("x", NetworkType.NAT, "br0", AT), INVALID)).contains("has no bridge");
        assertThat(h.rejected(new CreateNetwork("bad name", NetworkType.NAT, null, AT), INVALID)).contains("not valid");
        assertThat(h.rejected(new DeleteNetwork("lan"), CONFLICT)).contains("has NICs of VMs \"web\"");
        assertThat(h.applied(new DeleteNetwork("nat"))).isEqualTo("nat");
        assertThat(h.rejected(new DeleteNetwork("nat"), NOT_FOUND)).contains("no network");
    }

    @Test
    void aCreatedVmsNicsTakeSlotsInOrderAndAttachedOnesTheLowestFree() {
        Harness h = running();
        assertThat(web(h).nics()).containsExactly(new VmNic(0, "lan", MAC1, false));
        h.applied(new AttachVmNic("web", "nat", MAC2));
        assertThat(web(h).nics()).extracting(VmNic::slot).containsExactly(0, 1);
        h.applied(new DetachVmNic("web", MAC1));
        assertThat(web(h).nics().get(0).detaching()).isTrue();
        assertThat(h.rejected(new ReportVmNicDetached("vm1", "n2", MAC1), CONFLICT)).contains("only its host");
        h.applied(new ReportVmNicDetached("vm1", "n1", MAC1));
        assertThat(web(h).nics()).extracting(VmNic::mac).containsExactly(MAC2);
        h.applied(new AttachVmNic("web", "lan", MAC1));
        assertThat(web(h).nics()).extracting(VmNic::slot).containsExactly(1, 0);
    }

    @Test
    void aStoppedVmLosesItsNicAtOnceAndAStopDropsDetachingOnes() {
        Harness h = running();
        h.applied(new AttachVmNic("web", "nat", MAC2));
        h.applied(new DetachVmNic("web", MAC1));
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.SHUTOFF, "", null, AT));
        assertThat(web(h).nics()).extracting(VmNic::mac).containsExactly(MAC2);
        h.applied(new DetachVmNic("web", MAC2));
        assertThat(web(h).nics()).isEmpty();
    }

    @Test
    void badNicsAreRefusedWithTheReason() {
        Harness h = running();
        assertThat(h.rejected(new AttachVmNic("web", "nope", MAC2), NOT_FOUND)).contains("no network \"nope\"");
        assertThat(h.rejected(new AttachVmNic("web", "lan", "52:54:00:00:00"), INVALID)).contains("is not valid");
        assertThat(h.rejected(new AttachVmNic("web", "lan", "01:00:5e:00:00:01"), INVALID)).contains("multicast");
        assertThat(h.rejected(new AttachVmNic("web", "lan", MAC1), CONFLICT)).contains("already used");
        assertThat(h.rejected(new CreateVm("vm2", "db", "custom", 1, 512, List.of(new VmDiskRef("d2", true)), "n2",
                VmPlacement.AUTO, VmPower.RUNNING, null, List.of(), null, null, AT,
                List.of(new VmNic(0, "lan", MAC1, false)), null), CONFLICT)).contains("already used");
        assertThat(h.state().vm("vm2")).isEmpty();
        assertThat(h.rejected(new DetachVmNic("web", MAC2), NOT_FOUND)).contains("has no NIC");
        for (int i = 2; i <= NetworkCommands.MAX_NICS; i++) {
            h.applied(new AttachVmNic("web", "nat", String.format("52:54:00:00:01:%02x", i)));
        }
        assertThat(h.rejected(new AttachVmNic("web", "nat", "52:54:00:00:02:00"), CONFLICT)).contains("the most");
    }
}
