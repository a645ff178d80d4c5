package io.keel.ha.crm;

import static io.keel.ha.crm.Fixtures.at;
import static io.keel.ha.crm.Fixtures.node;
import static io.keel.ha.crm.Fixtures.running;
import static io.keel.ha.crm.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.DesiredState;
import io.keel.ha.HaConfig;
import io.keel.ha.HaEvent;
import io.keel.ha.LrmReport;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeState;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.ha.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The safety rule at the heart of the engine: nothing of a lost node starts elsewhere before its leases expire. */
class FenceTimingTest {
    private final Fixtures.Env env = new Fixtures.Env();
    private final List<ResourceSpec> specs = List.of(vm("vm:a", "node1", Strategy.AUTO, 1024));

    /** node1 silent since 0 s; its leases, as the environment reports them, expire at {@code leasesExpire}. */
    private void tick(long t, long leasesExpire) {
        env.now = at(t);
        env.nodes = List.of(node("node1", 0, leasesExpire), node("node2", t, t + 10), node("node3", t, t + 10));
    }

    /** vm:a running on node1 of three nodes, and a CRM for it. */
    private ClusterResourceManager runningCluster() {
        env.specs = specs;
        env.status = running(List.of(node("node1", 0, 10), node("node2", 0, 10), node("node3", 0, 10)), specs);
        return new ClusterResourceManager(env, HaConfig.defaults());
    }

    /** Steps from 1 s to {@code last} with node1 silent and its leases expiring at 10 s. */
    private void stepUntil(ClusterResourceManager crm, long last) {
        for (long t = 1; t <= last; t++) {
            tick(t, 10);
            crm.step();
        }
    }

    private ResourceStatus vmA() {
        return env.status.resources().get("vm:a");
    }

    @Test
    void lostAfterDetectionThenWaitsForTheLeaseExpiryTheEnvironmentReports() {
        ClusterResourceManager crm = runningCluster();
        // Leases here last 30 s (the storage default), longer than the HA lease time: the CRM must
        // trust the environment's expiry, not its own configuration.
        for (long t = 1; t <= 29; t++) {
            tick(t, 30);
            crm.step();
            assertThat(vmA().node()).isEqualTo("node1");
            assertThat(vmA().state()).isIn(ResourceState.STARTED, ResourceState.FENCE);
        }
        assertThat(env.events(HaEvent.NodeLost.class)).singleElement().extracting(HaEvent.NodeLost::at).isEqualTo(at(6));
        assertThat(env.status.nodes().get("node1").state()).isEqualTo(NodeState.FENCE);
        tick(30, 30);
        crm.step();
        assertThat(env.events(HaEvent.NodeFenced.class)).singleElement().extracting(HaEvent.NodeFenced::at)
                .isEqualTo(at(30));
        assertThat(vmA().state()).isEqualTo(ResourceState.STARTED);
        assertThat(vmA().node()).isIn("node2", "node3");
        assertThat(vmA().home()).isEqualTo("node1");
    }

    @Test
    void aNewManagerResumesTheFenceWaitFromThePersistedStatus() {
        ClusterResourceManager first = runningCluster();
        stepUntil(first, 7);
        ClusterResourceManager second = new ClusterResourceManager(env, HaConfig.defaults());
        for (long t = 8; t <= 10; t++) {
            tick(t, 10);
            second.step();
        }
        assertThat(env.events(HaEvent.ManagerActive.class)).extracting(HaEvent.ManagerActive::resumed)
                .containsExactly(true, true);
        assertThat(env.events(HaEvent.NodeLost.class)).hasSize(1);
        assertThat(env.events(HaEvent.ResourceRecovering.class)).singleElement()
                .extracting(HaEvent.ResourceRecovering::at).isEqualTo(at(10));
    }

    @Test
    void aNodeBackBeforeItsLeasesExpireKeepsItsResources() {
        ClusterResourceManager crm = runningCluster();
        stepUntil(crm, 7);
        assertThat(vmA().state()).isEqualTo(ResourceState.FENCE);
        env.now = at(8);
        env.nodes = List.of(node("node1", 8, 18), node("node2", 8, 18), node("node3", 8, 18));
        crm.step();
        assertThat(vmA().state()).isEqualTo(ResourceState.STARTED);
        assertThat(vmA().node()).isEqualTo("node1");
        assertThat(env.events(HaEvent.ResourceRecovering.class)).isEmpty();
    }

    @Test
    void aReportForAnOlderDecisionIsIgnored() {
        List<ResourceSpec> stopped = List.of(specs.getFirst().withDesired(DesiredState.STOPPED));
        env.specs = stopped;
        List<NodeInfo> nodes = List.of(node("node1", 0, 10), node("node2", 0, 10));
        env.nodes = nodes;
        env.status = running(nodes, specs);
        long before = vmA().uid();
        // A "stopped" the LRM sent long ago, before the resource was last started.
        env.reports = List.of(new LrmReport("node1", "vm:a", before, LrmReport.Outcome.STOPPED, at(0)));
        ClusterResourceManager crm = new ClusterResourceManager(env, HaConfig.defaults());
        crm.step();
        assertThat(vmA().state()).isEqualTo(ResourceState.REQUEST_STOP);
        crm.step();
        assertThat(vmA().state()).isEqualTo(ResourceState.REQUEST_STOP);
        env.reports = List.of(new LrmReport("node1", "vm:a", vmA().uid(), LrmReport.Outcome.STOPPED, at(0)));
        crm.step();
        assertThat(vmA().state()).isEqualTo(ResourceState.STOPPED);
    }
}
