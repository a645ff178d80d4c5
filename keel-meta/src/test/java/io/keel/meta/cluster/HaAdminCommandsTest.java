package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeMode;
import io.keel.ha.NodeStatus;
import io.keel.ha.RelocationMode;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.SaveHaStatus;
import io.keel.meta.cluster.ClusterCommand.SetHaSettings;
import io.keel.meta.cluster.ClusterCommand.SetNodeMode;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaAdminCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);

    private static Harness cluster(VmPlacement placement, VmPower power) {
        Harness h = Harness.withChunkServices();
        h.applied(new CreateVolume("d1", "disk-1", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateComputeCluster(List.of("n1", "n2", "n3"), AT, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "db", "custom", 1, 512, List.of(new VmDiskRef("d1", true)), "n1",
                placement, power, null, List.of(), null, null, AT));
        return h;
    }

    @Test
    void settingsDefaultUntilSetAndChangeOnlyWhatIsGiven() {
        Harness h = cluster(VmPlacement.AUTO, VmPower.STOPPED);
        assertThat(h.state().haSettings()).isEqualTo(HaSettings.DEFAULTS);
        h.applied(new SetHaSettings(null, "round-robin", null));
        assertThat(h.state().haSettings()).isEqualTo(new HaSettings(true, RelocationMode.ROUND_ROBIN, 60));
        h.applied(new SetHaSettings(false, null, 30));
        assertThat(h.state().haSettings()).isEqualTo(new HaSettings(false, RelocationMode.ROUND_ROBIN, 30));
    }

    @Test
    void aBadSettingIsRefusedWithWhatIsAllowedAndNothingChanges() {
        Harness h = cluster(VmPlacement.AUTO, VmPower.STOPPED);
        assertThat(h.rejected(new SetHaSettings(false, "fastest", null), INVALID))
                .contains("'fastest'").contains("drs or round-robin");
        assertThat(h.rejected(new SetHaSettings(null, null, -1), INVALID)).contains("0 to 3600 seconds, not -1");
        assertThat(h.rejected(new SetHaSettings(null, null, null), INVALID)).contains("nothing to change");
        assertThat(h.state().haSettings()).isEqualTo(HaSettings.DEFAULTS);
    }

    @Test
    void maintenanceTakesTheNodeOutOfThePoolAndLeaveReturnsIt() {
        Harness h = cluster(VmPlacement.AUTO, VmPower.RUNNING);
        h.applied(new SetNodeMode("n1", NodeMode.MAINTENANCE, AT));
        assertThat(h.state().nodeMode("n1")).isEqualTo(NodeMode.MAINTENANCE);
        assertThat(h.state().node("n1").orElseThrow().maintenance()).isTrue();
        // A shutdown of a node in maintenance changes nothing: it is evacuated already.
        h.applied(new SetNodeMode("n1", NodeMode.SHUTDOWN, AT));
        assertThat(h.state().nodeMode("n1")).isEqualTo(NodeMode.MAINTENANCE);
        h.applied(new SetNodeMode("n1", NodeMode.ACTIVE, AT));
        assertThat(h.state().nodeMode("n1")).isEqualTo(NodeMode.ACTIVE);
        assertThat(h.state().haNodeMode("n1")).isEmpty();
        assertThat(h.state().node("n1").orElseThrow().maintenance()).isFalse();
    }

    @Test
    void aRunningPinnedVmRefusesMaintenanceWithItsNameAndNothingChanges() {
        Harness h = cluster(VmPlacement.PINNED, VmPower.RUNNING);
        assertThat(h.rejected(new SetNodeMode("n1", NodeMode.MAINTENANCE, AT), CONFLICT))
                .contains("cannot enter maintenance, blocked by VM \"db\" (pinned");
        assertThat(h.state().nodeMode("n1")).isEqualTo(NodeMode.ACTIVE);
        assertThat(h.state().node("n1").orElseThrow().maintenance()).isFalse();
        h.applied(new SetVmPower("vm1", VmPower.STOPPED, null));
        h.applied(new SetNodeMode("n1", NodeMode.MAINTENANCE, AT));
    }

    @Test
    void aShuttingDownNodeCannotEnterMaintenanceAndANodeOutsideComputeHasNoMode() {
        Harness h = cluster(VmPlacement.AUTO, VmPower.STOPPED);
        h.applied(new SetNodeMode("n2", NodeMode.SHUTDOWN, AT));
        assertThat(h.rejected(new SetNodeMode("n2", NodeMode.MAINTENANCE, AT), CONFLICT)).contains("shutting down");
        assertThat(h.rejected(new SetNodeMode("n1", null, AT), INVALID)).contains("node mode");
        assertThat(h.rejected(new SetNodeMode("nx", NodeMode.MAINTENANCE, AT), RejectionCodes.NOT_FOUND)).isNotBlank();
    }

    @Test
    void aStoppedVmTheManagerMovesFollowsInItsRecord() {
        Harness h = cluster(VmPlacement.AUTO, VmPower.STOPPED);
        h.applied(new SaveHaStatus(0, status("n1", 1), AT));
        h.applied(new SaveHaStatus(1, status("n2", 1), AT));
        assertThat(h.state().vm("vm1").orElseThrow().nodeId()).isEqualTo("n2");
    }

    private static ManagerStatus status(String node, long uid) {
        ResourceStatus rs = new ResourceStatus(ResourceState.STOPPED, node, null, uid, Fixtures.T0, null, 0, null, null,
                null, false, 0, false);
        return ManagerStatus.of(Map.of("n1", NodeStatus.online(Fixtures.T0)), Map.of("vm:vm1", rs), uid, null);
    }
}
