package io.keel.meta.cluster;

import io.keel.ha.LrmReport;
import io.keel.ha.ManagerStatus;
import io.keel.ha.ResourceState;
import io.keel.ha.ResourceStatus;
import io.keel.meta.cluster.ClusterCommand.AppendHaEvents;
import io.keel.meta.cluster.ClusterCommand.PlaceHaVm;
import io.keel.meta.cluster.ClusterCommand.ReportHa;
import io.keel.meta.cluster.ClusterCommand.SaveHaStatus;
import io.keel.meta.cluster.ClusterCommand.SetVmPlacement;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HA engine's side of the metadata (ADR 0029). The manager status is the one record of where
 * every VM should run; a VM record's host changes only when the local resource manager of the
 * node the status names takes the VM ({@link PlaceHaVm}), or at a live migration's switch-over,
 * which moves the status along in the same command ({@link #followMigration}).
 */
final class HaCommands {
    /** HA resource ids of VMs: the engine's kind prefix and the VM id (names can change). */
    static final String VM_PREFIX = "vm:";

    private final ClusterCodec codec;

    HaCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    Plan save(ClusterState state, SaveHaStatus c) {
        ManagerStatus next = Checks.required(c.status(), "status");
        Instant at = Checks.required(c.at(), "time");
        Optional<HaStatusRecord> stored = state.haStatus();
        long version = stored.map(HaStatusRecord::version).orElse(0L);
        if (c.expectedVersion() != version) {
            throw Rejection.conflict("the HA status is at version " + version + ", not " + c.expectedVersion()
                    + ": another manager saved it first");
        }
        Plan plan = new Plan(codec, Long.toString(version + 1))
                .put(ClusterState.HA_STATUS_KEY, new HaStatusRecord(version + 1, next));
        ManagerStatus before = stored.map(HaStatusRecord::status).orElseGet(ManagerStatus::empty);
        next.resources().forEach((id, rs) -> {
            ResourceStatus was = before.resources().get(id);
            if (id.startsWith(VM_PREFIX) && rs.state() == ResourceState.FENCE
                    && (was == null || was.state() != ResourceState.FENCE)) {
                // Its host cannot report any more: say what is known instead of its last "running".
                state.vm(id.substring(VM_PREFIX.length())).ifPresent(vm -> plan.put(ClusterState.vmKey(vm.id()),
                        vm.withStatus(VmStatus.ERROR, "its node " + nodeName(state, rs.node()) + " is lost; it is"
                                + " recovered when that node's leases have expired", at)));
            }
            if (id.startsWith(VM_PREFIX) && rs.state() == ResourceState.STOPPED && was != null && rs.node() != null
                    && !rs.node().equals(was.node())) {
                // A stopped VM the manager moved (maintenance, migrate-back): no agent takes it, so
                // its record follows here, unless it started or began moving in the meantime.
                state.vm(id.substring(VM_PREFIX.length()))
                        .filter(vm -> vm.power() == VmPower.STOPPED && !vm.migrating() && vm.nodeId().equals(was.node()))
                        .ifPresent(vm -> plan.put(ClusterState.vmKey(vm.id()), vm.withNode(rs.node())));
            }
            if (!id.startsWith(VM_PREFIX) || !heldNow(rs) || heldNow(was)) {
                return;
            }
            // A pinned VM stranded on a lost node waits to be started by hand: its desired power
            // says so, so an ordinary start (which raises the start request) releases it.
            state.vm(id.substring(VM_PREFIX.length())).filter(vm -> vm.power() != VmPower.STOPPED)
                    .ifPresent(vm -> plan.put(ClusterState.vmKey(vm.id()), vm.withDesired(VmPower.STOPPED, vm.stop())
                            .withStatus(VmStatus.SHUTOFF, "its node " + nodeName(state, rs.node())
                                    + " was lost; a pinned VM waits to be started by hand", at)));
        });
        return plan;
    }

    private static boolean heldNow(ResourceStatus rs) {
        return rs != null && rs.state() == ResourceState.STOPPED && rs.hold();
    }

    Plan report(ClusterState state, ReportHa c) {
        String node = Checks.required(c.nodeId(), "node");
        Checks.node(state, node);
        for (LrmReport r : Checks.required(c.reports(), "reports")) {
            if (!node.equals(r.node())) {
                throw Rejection.invalid("node " + node + " cannot report for node " + r.node());
            }
        }
        HaReports current = state.haReports(node).orElseGet(() -> new HaReports(node, new TreeMap<>()));
        return new Plan(codec, node).put(ClusterState.haReportKey(node), current.with(c.reports()));
    }

    Plan place(ClusterState state, PlaceHaVm c) {
        Vm vm = VmRules.vm(state, Checks.required(c.vmId(), "VM"));
        String node = Checks.required(c.nodeId(), "node");
        ResourceStatus rs = state.haStatus().map(s -> s.status().resources().get(VM_PREFIX + vm.id())).orElse(null);
        if (rs == null || rs.state() != ResourceState.STARTED || !node.equals(rs.node()) || rs.uid() != c.uid()) {
            throw Rejection.conflict("the HA status does not place VM " + Names.quote(vm.name()) + " on node "
                    + nodeName(state, node) + " under decision " + c.uid());
        }
        if (vm.nodeId().equals(node)) {
            return new Plan(codec, vm.id());
        }
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is migrating");
        }
        // Not running until the new host's agent says so: the old host's last report is stale.
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withNode(node)
                .withStatus(VmStatus.SHUTOFF, "being started on node " + nodeName(state, node) + " by HA",
                        vm.statusAt()));
    }

    Plan events(ClusterState state, AppendHaEvents c) {
        var events = Checks.required(c.events(), "events");
        HaEventLog log = state.haEvents().append(events);
        return new Plan(codec, Long.toString(log.next() - 1)).put(ClusterState.HA_EVENTS_KEY, log);
    }

    Plan placement(ClusterState state, SetVmPlacement c) {
        Vm vm = VmRules.vm(state, Checks.required(c.vmId(), "VM"));
        VmPlacement placement = Checks.required(c.placement(), "placement strategy");
        String node = c.nodeId() == null ? vm.nodeId() : VmRules.computeNode(state, c.nodeId()).id();
        if (!node.equals(vm.nodeId())) {
            // Where a VM runs changes by live migration or by the HA engine, never by a record edit.
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " runs on node " + nodeName(state, vm.nodeId())
                    + ": migrate it to node " + nodeName(state, node) + " first, then set its placement");
        }
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm.withPlacement(placement));
    }

    /** An explicit start of a VM: raises its HA start request, which releases a hold or an error. */
    static void startRequested(ClusterState state, Plan plan, Vm vm) {
        plan.put(ClusterState.haStartKey(vm.id()), state.haStartRequests(vm.id()) + 1);
    }

    /**
     * A live migration's switch-over moves the VM's host; an HA status that had it started on the
     * source follows in the same command, so no local manager ever sees the VM on a node the
     * status does not name (it would kill it there). A migration the manager ordered (state
     * MIGRATE) is left to the manager, which learns of it from the target's report.
     */
    static void followMigration(ClusterState state, Plan plan, Vm vm, String from, String to) {
        state.haStatus().ifPresent(rec -> {
            ResourceStatus rs = rec.status().resources().get(VM_PREFIX + vm.id());
            if (rs == null || rs.state() != ResourceState.STARTED || !from.equals(rs.node())) {
                return;
            }
            TreeMap<String, ResourceStatus> resources = new TreeMap<>(rec.status().resources());
            resources.put(VM_PREFIX + vm.id(), rs.toBuilder().node(to).build());
            ManagerStatus moved = new ManagerStatus(rec.status().nodes(), resources, rec.status().lastUid(),
                    rec.status().roundRobinCursor());
            plan.put(ClusterState.HA_STATUS_KEY, new HaStatusRecord(rec.version() + 1, moved));
        });
    }

    private static String nodeName(ClusterState state, String id) {
        return id == null ? "(none)" : state.node(id).map(n -> Names.quote(n.name())).orElse(id);
    }
}
