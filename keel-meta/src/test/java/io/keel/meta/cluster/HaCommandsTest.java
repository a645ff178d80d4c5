package io.keel.meta.cluster;

import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeStatus;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterCommand.AppendHaEvents;
import io.keel.meta.cluster.ClusterCommand.CompleteVmMigration;
import io.keel.meta.cluster.ClusterCommand.CreateComputeCluster;
import io.keel.meta.cluster.ClusterCommand.CreateVm;
import io.keel.meta.cluster.ClusterCommand.CreateVolume;
import io.keel.meta.cluster.ClusterCommand.PlaceHaVm;
import io.keel.meta.cluster.ClusterCommand.ReportMigrationReady;
import io.keel.meta.cluster.ClusterCommand.ReportVmStatus;
import io.keel.meta.cluster.ClusterCommand.SaveHaStatus;
import io.keel.meta.cluster.ClusterCommand.SetVmPlacement;
import io.keel.meta.cluster.ClusterCommand.SetVmPower;
import io.keel.meta.cluster.ClusterCommand.StartVmMigration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaCommandsTest {
    private static final Instant AT = Fixtures.T0.plusSeconds(7200);

    static ManagerStatus status(String node, long uid) {
        return status(new ResourceStatus(ResourceState.STARTED, node, null, uid, Fixtures.T0, null, 0, null, null,
                null, false, 0, false), uid);
    }

    private static ManagerStatus status(ResourceStatus vm1, long uid) {
        return ManagerStatus.of(Map.of("n1", NodeStatus.online(Fixtures.T0)), Map.of("vm:vm1", vm1), uid, null);
    }

    private static Harness cluster() {
        Harness h = Harness.withChunkServices();
        h.applied(new CreateVolume("d1", "disk-1", 1L << 30, 64 << 20, "single", AT));
        h.applied(new CreateComputeCluster(List.of("n1", "n2", "n3"), AT, Flavor.DEFAULTS));
        h.applied(new CreateVm("vm1", "web", "custom", 1, 512, List.of(new VmDiskRef("d1", true)), "n1",
                VmPlacement.FAILOVER, VmPower.RUNNING, null, List.of(), null, null, AT));
        h.applied(new ReportVmStatus("vm1", "n1", VmStatus.ACTIVE, "", null, AT));
        return h;
    }

    @Test
    void theStatusIsSavedOnlyOverTheVersionItWasReadAt() {
        Harness h = cluster();
        h.applied(new SaveHaStatus(0, status("n1", 1), AT));
        assertThat(h.state().haStatus().orElseThrow().version()).isEqualTo(1);
        assertThat(h.state().haStatus().orElseThrow().status()).isEqualTo(status("n1", 1));
        assertThat(h.rejected(new SaveHaStatus(0, status("n1", 2), AT), CONFLICT)).contains("another manager");
        h.applied(new SaveHaStatus(1, status("n1", 2), AT));
        assertThat(h.state().haStatus().orElseThrow().status().lastUid()).isEqualTo(2);
    }

    @Test
    void aVmMovesOnlyToTheNodeTheStatusNamesUnderThatDecision() {
        Harness h = cluster();
        h.applied(new SaveHaStatus(0, status("n2", 4), AT));
        assertThat(h.rejected(new PlaceHaVm("vm1", "n3", 4), CONFLICT)).contains("does not place");
        assertThat(h.rejected(new PlaceHaVm("vm1", "n2", 3), CONFLICT)).contains("decision 3");
        h.applied(new PlaceHaVm("vm1", "n2", 4));
        assertThat(h.state().vm("vm1").orElseThrow().nodeId()).isEqualTo("n2");
    }

    @Test
    void aStrandedPinnedVmIsStoppedAndAnExplicitStartRaisesTheStartRequest() {
        Harness h = cluster();
        h.applied(new SaveHaStatus(0, status("n1", 1), AT));
        ResourceStatus held = new ResourceStatus(ResourceState.STOPPED, "n1", null, 2, AT, null, 0, null, null, null,
                true, 0, false);
        h.applied(new SaveHaStatus(1, status(held, 2), AT));
        Vm vm = h.state().vm("vm1").orElseThrow();
        assertThat(vm.power()).isEqualTo(VmPower.STOPPED);
        assertThat(vm.statusReason()).contains("started by hand");
        assertThat(h.state().haStartRequests("vm1")).isZero();
        h.applied(new SetVmPower("vm1", VmPower.RUNNING, null));
        assertThat(h.state().haStartRequests("vm1")).isEqualTo(1);
        // Saved again still held (the manager had not seen the start yet): the start stands.
        h.applied(new SaveHaStatus(2, status(held, 3), AT));
        assertThat(h.state().vm("vm1").orElseThrow().power()).isEqualTo(VmPower.RUNNING);
    }

    @Test
    void anAdministratorsMigrationCarriesTheStatusAlongAtTheSwitchOver() {
        Harness h = cluster();
        h.applied(new SaveHaStatus(0, status("n1", 1), AT));
        h.applied(new StartVmMigration("vm1", "mig1", "n2", AT));
        h.applied(new ReportMigrationReady("vm1", "mig1", "n2", "127.0.0.1:5000", AT));
        h.applied(new CompleteVmMigration("vm1", "mig1", "n1", AT, 12L, AT));
        HaStatusRecord rec = h.state().haStatus().orElseThrow();
        assertThat(rec.version()).isEqualTo(2);
        assertThat(rec.status().resources().get("vm:vm1").node()).isEqualTo("n2");
    }

    @Test
    void eventsAreKeptNewestLastAndBounded() {
        Harness h = cluster();
        List<HaEventRecord> many = new ArrayList<>();
        for (int i = 0; i < HaEventLog.MAX + 5; i++) {
            many.add(new HaEventRecord(0, AT.plusSeconds(i), "NodeLost", "event " + i, null));
        }
        h.applied(new AppendHaEvents(many));
        HaEventLog log = h.state().haEvents();
        assertThat(log.events()).hasSize(HaEventLog.MAX);
        assertThat(log.events().getLast().text()).isEqualTo("event " + (HaEventLog.MAX + 4));
        assertThat(log.events().getLast().seq()).isEqualTo(HaEventLog.MAX + 5);
    }

    @Test
    void placementChangesTheStrategyButNeverTheHost() {
        Harness h = cluster();
        h.applied(new SetVmPlacement("vm1", VmPlacement.PINNED, null));
        assertThat(h.state().vm("vm1").orElseThrow().placement()).isEqualTo(VmPlacement.PINNED);
        assertThat(h.rejected(new SetVmPlacement("vm1", VmPlacement.PINNED, "n2"), CONFLICT)).contains("migrate it");
    }
}
