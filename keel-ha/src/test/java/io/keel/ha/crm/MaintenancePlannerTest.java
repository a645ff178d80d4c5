package io.keel.ha.crm;

import static io.keel.ha.crm.Fixtures.iscsi;
import static io.keel.ha.crm.Fixtures.node;
import static io.keel.ha.crm.Fixtures.running;
import static io.keel.ha.crm.Fixtures.vip;
import static io.keel.ha.crm.Fixtures.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.ha.ClusterSnapshot;
import io.keel.ha.HaConfig;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.MaintenancePlan.Action;
import io.keel.ha.MaintenancePlan.Move;
import io.keel.ha.ManagerStatus;
import io.keel.ha.NodeInfo;
import io.keel.ha.NodeMode;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ShutdownPolicy;
import io.keel.ha.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenancePlannerTest {
    private final List<NodeInfo> nodes = List.of(node("node1", 0, NodeMode.ACTIVE), node("node2", 0, NodeMode.ACTIVE),
            node("node3", 0, NodeMode.ACTIVE));

    private MaintenancePlan preview(List<ResourceSpec> specs, NodeMode mode, HaConfig config) {
        ManagerStatus status = running(nodes, specs);
        return MaintenancePlanner.preview("node1", mode, new ClusterSnapshot(nodes, specs, List.of()), status, config);
    }

    @Test
    void runningVmsMigrateTheVipRelocatesAndThePlanSpreadsThem() {
        MaintenancePlan plan = preview(List.of(vip("vip:admin", "node1"), vm("vm:a", "node1", Strategy.AUTO, 4096),
                vm("vm:b", "node1", Strategy.FAILOVER, 4096)), NodeMode.MAINTENANCE, HaConfig.defaults());
        assertThat(plan.refused()).isFalse();
        // vm:a takes node2 (tie by name), so vm:b sees node2 half full and takes node3.
        assertThat(plan.moves()).containsExactly(new Move("vip:admin", Action.RELOCATE, "node2"),
                new Move("vm:a", Action.MIGRATE, "node2"), new Move("vm:b", Action.MIGRATE, "node3"));
    }

    @Test
    void aRunningPinnedVmBlocksWithAReason() {
        MaintenancePlan plan = preview(List.of(vm("vm:a", "node1", Strategy.AUTO, 1024),
                vm("vm:lic", "node1", Strategy.PINNED, 1024)), NodeMode.MAINTENANCE, HaConfig.defaults());
        assertThat(plan.refused()).isTrue();
        assertThat(plan.describeBlockers()).isEqualTo("vm:lic (pinned to node1 and running: stop it first)");
        assertThat(plan.moves()).extracting(Move::resource).containsExactly("vm:a");
    }

    @Test
    void whatNoNodeCanHoldBlocksMaintenanceButIsFrozenOnShutdown() {
        List<ResourceSpec> specs = List.of(vm("vm:huge", "node1", Strategy.AUTO, 8192),
                vm("vm:x", "node2", Strategy.AUTO, 4096), vm("vm:y", "node3", Strategy.AUTO, 4096));
        MaintenancePlan maintenance = preview(specs, NodeMode.MAINTENANCE, HaConfig.defaults());
        assertThat(maintenance.describeBlockers()).isEqualTo("vm:huge (no node has 8192 MiB/1 vCPU free)");
        MaintenancePlan shutdown = preview(specs, NodeMode.SHUTDOWN, HaConfig.defaults());
        assertThat(shutdown.refused()).isFalse();
        assertThat(shutdown.moves()).containsExactly(new Move("vm:huge", Action.FREEZE, null));
    }

    @Test
    void aStoppedVmLeavesEvenWhenNoNodeHasRoomToRunIt() {
        List<ResourceSpec> specs = List.of(vm("vm:huge", "node1", Strategy.AUTO, 8192),
                vm("vm:x", "node2", Strategy.AUTO, 4096), vm("vm:y", "node3", Strategy.AUTO, 4096));
        ManagerStatus running = running(nodes, specs);
        var resources = new java.util.TreeMap<>(running.resources());
        resources.put("vm:huge", new io.keel.ha.ResourceStatus(io.keel.ha.ResourceState.STOPPED, "node1", null, 1,
                Fixtures.T0, null, 0, null, null, null, false, 0, true));
        ManagerStatus status = ManagerStatus.of(running.nodes(), resources, running.lastUid(), null);
        MaintenancePlan plan = MaintenancePlanner.preview("node1", NodeMode.MAINTENANCE,
                new ClusterSnapshot(nodes, specs, List.of()), status, HaConfig.defaults());
        assertThat(plan.refused()).isFalse();
        assertThat(plan.moves()).containsExactly(new Move("vm:huge", Action.REASSIGN, "node2"));
    }

    @Test
    void shutdownFreezesPinnedOnesAndEverythingUnderTheFreezePolicy() {
        List<ResourceSpec> specs = List.of(vm("vm:a", "node1", Strategy.AUTO, 1024),
                vm("vm:lic", "node1", Strategy.PINNED, 1024));
        assertThat(preview(specs, NodeMode.SHUTDOWN, HaConfig.defaults()).moves()).containsExactly(
                new Move("vm:a", Action.MIGRATE, "node2"), new Move("vm:lic", Action.FREEZE, null));
        assertThat(preview(specs, NodeMode.SHUTDOWN, HaConfig.defaults().withShutdownPolicy(ShutdownPolicy.FREEZE))
                .moves()).extracting(Move::action).containsOnly(Action.FREEZE);
    }

    @Test
    void thePreviewChangesNothing() {
        List<ResourceSpec> specs = List.of(vm("vm:a", "node1", Strategy.AUTO, 1024));
        ManagerStatus status = running(nodes, specs);
        ClusterSnapshot snapshot = new ClusterSnapshot(nodes, specs, List.of());
        HaConfig rr = HaConfig.defaults().withRelocation(io.keel.ha.RelocationMode.ROUND_ROBIN);
        MaintenancePlan first = MaintenancePlanner.preview("node1", NodeMode.MAINTENANCE, snapshot, status, rr);
        MaintenancePlan second = MaintenancePlanner.preview("node1", NodeMode.MAINTENANCE, snapshot, status, rr);
        assertThat(first).isEqualTo(second);
        assertThat(status.roundRobinCursor()).isNull();
    }

    @Test
    void anUnknownNodeIsRefused() {
        assertThatThrownBy(() -> MaintenancePlanner.preview("node9", NodeMode.MAINTENANCE,
                new ClusterSnapshot(nodes, List.of(), List.of()), ManagerStatus.empty(), HaConfig.defaults()))
                .hasMessageContaining("no node node9");
    }

    @Test
    void aRestrictedPathRelocatesWithinItsNodesEvenWhenAnotherIsEmptier() {
        // node2 is empty, node3 holds a VM: drs alone would pick node2 for the path.
        MaintenancePlan plan = preview(List.of(iscsi("iscsi:v1", "node1", "node1", "node3"),
                vm("vm:x", "node3", Strategy.AUTO, 4096)), NodeMode.MAINTENANCE, HaConfig.defaults());
        assertThat(plan.refused()).isFalse();
        assertThat(plan.moves()).containsExactly(new Move("iscsi:v1", Action.RELOCATE, "node3"));
    }

    @Test
    void aPathWithNoOtherAllowedNodeInThePoolBlocksWithItsNodes() {
        List<NodeInfo> withNode2Away = List.of(node("node1", 0, NodeMode.ACTIVE), node("node2", 0, NodeMode.MAINTENANCE),
                node("node3", 0, NodeMode.ACTIVE));
        List<ResourceSpec> specs = List.of(iscsi("iscsi:v1", "node1", "node1", "node2"),
                iscsi("iscsi:v2", "node1", "node1"), vm("vm:a", "node1", Strategy.AUTO, 1024));
        MaintenancePlan plan = MaintenancePlanner.preview("node1", NodeMode.MAINTENANCE,
                new ClusterSnapshot(withNode2Away, specs, List.of()), running(withNode2Away, specs), HaConfig.defaults());
        assertThat(plan.refused()).isTrue();
        assertThat(plan.describeBlockers()).isEqualTo(
                "iscsi:v1 (may run only on node1, node2 and none of the others is available), "
                        + "iscsi:v2 (may run only on node1 and no other node is allowed)");
        assertThat(plan.moves()).containsExactly(new Move("vm:a", Action.MIGRATE, "node3"));
        // A graceful shutdown freezes them instead: they start again when the node is back.
        MaintenancePlan shutdown = MaintenancePlanner.preview("node1", NodeMode.SHUTDOWN,
                new ClusterSnapshot(withNode2Away, specs, List.of()), running(withNode2Away, specs), HaConfig.defaults());
        assertThat(shutdown.moves()).containsExactly(new Move("iscsi:v1", Action.FREEZE, null),
                new Move("iscsi:v2", Action.FREEZE, null), new Move("vm:a", Action.MIGRATE, "node3"));
    }

    @Test
    void aStoppedPathWithNowhereElseToGoStays() {
        List<ResourceSpec> specs = List.of(iscsi("iscsi:v2", "node1", "node1"), iscsi("iscsi:v3", "node1", "node1", "node3"));
        ManagerStatus running = running(nodes, specs);
        var resources = new java.util.TreeMap<>(running.resources());
        specs.forEach(s -> resources.put(s.id(), new io.keel.ha.ResourceStatus(io.keel.ha.ResourceState.STOPPED, "node1",
                null, 1, Fixtures.T0, null, 0, null, null, null, false, 0, false)));
        MaintenancePlan plan = MaintenancePlanner.preview("node1", NodeMode.MAINTENANCE,
                new ClusterSnapshot(nodes, specs, List.of()), ManagerStatus.of(running.nodes(), resources, 2, null),
                HaConfig.defaults());
        assertThat(plan.refused()).isFalse();
        assertThat(plan.moves()).containsExactly(new Move("iscsi:v3", Action.REASSIGN, "node3"));
    }
}
