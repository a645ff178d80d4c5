package io.keel.node.service;

import io.keel.api.ApiException;
import io.keel.api.HaService;
import io.keel.api.dto.HaSettingsRequest;
import io.keel.api.dto.HaSettingsView;
import io.keel.api.dto.MaintenanceBlockerView;
import io.keel.api.dto.MaintenanceMoveView;
import io.keel.api.dto.MaintenancePlanView;
import io.keel.ha.MaintenancePlan;
import io.keel.ha.NodeMode;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.HaSettings;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPlacement;
import io.keel.meta.cluster.VmPower;
import io.keel.node.ha.HaResources;
import io.keel.node.ha.MaintenancePreview;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Cluster HA settings and node maintenance over the metadata (ADR 0030). Entering maintenance
 * first computes the engine's plan and refuses while anything blocks it, so a refused request
 * changes nothing; the metadata also refuses a running pinned VM by itself, for a request that
 * raced a start.
 */
public final class HaServiceImpl implements HaService {
    private final MetaGateway meta;
    private final Clock clock;

    public HaServiceImpl(MetaGateway meta, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HaSettingsView settings() {
        HaSettings s = meta.state().haSettings();
        return new HaSettingsView(s.migrateBack(), HaSettings.label(s.relocation()), s.shutdownTimeoutSeconds());
    }

    @Override
    public HaSettingsView setSettings(HaSettingsRequest r) {
        if (r == null) {
            throw ApiException.invalid("give migrateBack, relocation (" + HaSettings.relocationLabels()
                    + ") or shutdownTimeoutSeconds");
        }
        meta.submit(new ClusterCommand.SetHaSettings(r.migrateBack(), r.relocation(), r.shutdownTimeoutSeconds()));
        HaSettings s = meta.leaderState().haSettings();
        return new HaSettingsView(s.migrateBack(), HaSettings.label(s.relocation()), s.shutdownTimeoutSeconds());
    }

    @Override
    public MaintenancePlanView maintenancePlan(String node) {
        ClusterState s = meta.state();
        NodeRecord n = computeNode(s, node);
        return view(s, n, MaintenancePreview.of(s, n.id(), NodeMode.MAINTENANCE, clock.instant()));
    }

    @Override
    public MaintenancePlanView enterMaintenance(String node) {
        ClusterState s = meta.state();
        NodeRecord n = computeNode(s, node);
        MaintenancePlan plan = MaintenancePreview.of(s, n.id(), NodeMode.MAINTENANCE, clock.instant());
        if (s.nodeMode(n.id()) == NodeMode.ACTIVE && plan.refused()) {
            throw ApiException.conflict("node " + n.name() + " cannot enter maintenance, blocked by "
                    + plan.blockers().stream().map(b -> readable(s, b.resource()) + " (" + readable(s, b.reason()) + ")")
                            .collect(Collectors.joining(", ")));
        }
        meta.submit(new ClusterCommand.SetNodeMode(n.id(), NodeMode.MAINTENANCE, clock.instant()));
        // The leader's state: this node's replica may not have the write yet, and an answer that
        // still says "active" with nothing remaining would tell the CLI the node is evacuated.
        return view(meta.leaderState(), n, plan);
    }

    @Override
    public MaintenancePlanView leaveMaintenance(String node) {
        ClusterState s = meta.state();
        NodeRecord n = computeNode(s, node);
        meta.submit(new ClusterCommand.SetNodeMode(n.id(), NodeMode.ACTIVE, clock.instant()));
        return new MaintenancePlanView(n.id(), n.name(), label(NodeMode.ACTIVE), List.of(), List.of(), List.of());
    }

    private static NodeRecord computeNode(ClusterState s, String node) {
        NodeRecord n = ClusterServiceImpl.resolve(s, node);
        if (s.computeCluster().map(c -> !c.contains(n.id())).orElse(true)) {
            throw ApiException.invalid("node " + n.name() + " is not in the compute cluster: it runs no VMs, so it has"
                    + " no maintenance mode");
        }
        return n;
    }

    private static MaintenancePlanView view(ClusterState s, NodeRecord n, MaintenancePlan plan) {
        List<MaintenanceMoveView> moves = plan.moves().stream().map(m -> new MaintenanceMoveView(vmId(m.resource()),
                vmName(s, m.resource()), m.action().name().toLowerCase(Locale.ROOT), m.to(), nodeName(s, m.to())))
                .toList();
        List<MaintenanceBlockerView> blockers = plan.blockers().stream().map(b -> new MaintenanceBlockerView(
                vmId(b.resource()), vmName(s, b.resource()), readable(s, b.reason()))).toList();
        NodeMode mode = s.nodeMode(n.id());
        // A stopped pinned VM stays on its node by design: it does not hold up the evacuation. A VM
        // past its migration's switch-over has left, but is not done until the migration finished.
        List<String> remaining = mode == NodeMode.ACTIVE ? List.of() : s.vms().stream()
                .filter(vm -> vm.nodeId().equals(n.id()) || vm.migrating()
                        && n.id().equals(vm.migration().sourceNodeId()))
                .filter(vm -> !(vm.placement() == VmPlacement.PINNED && vm.power() == VmPower.STOPPED))
                .map(Vm::name).sorted().toList();
        return new MaintenancePlanView(n.id(), n.name(), label(mode), moves, blockers, remaining);
    }

    private static String label(NodeMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static String vmId(String resource) {
        return HaResources.vmId(resource).orElse(resource);
    }

    private static String vmName(ClusterState s, String resource) {
        return HaResources.vmId(resource).flatMap(s::vm).map(Vm::name).orElse(resource);
    }

    private static String nodeName(ClusterState s, String id) {
        return id == null ? null : s.node(id).map(NodeRecord::name).orElse(id);
    }

    /** The engine speaks of resource and node ids; administrators know VMs and nodes by name. */
    private static String readable(ClusterState s, String text) {
        String out = text;
        for (Vm vm : s.vms()) {
            out = out.replace(HaResources.resourceId(vm.id()), "VM " + vm.name());
        }
        for (NodeRecord node : s.nodes()) {
            out = out.replace(node.id(), node.name());
        }
        return out;
    }
}
