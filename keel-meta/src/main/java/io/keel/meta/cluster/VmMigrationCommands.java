package io.keel.meta.cluster;

import io.keel.meta.cluster.ClusterCommand.CancelVmMigration;
import io.keel.meta.cluster.ClusterCommand.CompleteVmMigration;
import io.keel.meta.cluster.ClusterCommand.FailVmMigration;
import io.keel.meta.cluster.ClusterCommand.FinishVmMigration;
import io.keel.meta.cluster.ClusterCommand.ReportMigrationProgress;
import io.keel.meta.cluster.ClusterCommand.ReportMigrationReady;
import io.keel.meta.cluster.ClusterCommand.StartVmMigration;
import java.time.Instant;

/**
 * Live migration of a VM between compute nodes (ADR 0019). The record on the VM is the protocol
 * between the two agents: each step may only come from the node whose part it is, and only for the
 * migration that is current, so a late report about an earlier attempt, or from a node that is no
 * longer involved, changes nothing. The VM counts on both nodes while the move runs
 * ({@link ComputeCapacity}), and its host flips to the target in one command.
 */
final class VmMigrationCommands {
    private final ClusterCodec codec;

    VmMigrationCommands(ClusterCodec codec) {
        this.codec = codec;
    }

    private static final long MIN_BANDWIDTH = 1L << 20;
    private static final long MAX_BANDWIDTH = 100L << 30;

    Plan start(ClusterState state, StartVmMigration c) {
        Vm vm = VmRules.vm(state, c.vmId());
        Checks.valid(Names.validateId("migration id", c.migrationId()));
        Instant at = Checks.required(c.at(), "time");
        if (vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is already migrating to node "
                    + Names.quote(vm.migration().targetNodeId()));
        }
        if (vm.status() != VmStatus.ACTIVE || vm.power() != VmPower.RUNNING) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is " + vm.status().name().toLowerCase()
                    + ": only a running VM is migrated live (a stopped one starts wherever it is placed)");
        }
        vm.disks().stream().filter(VmDiskRef::detaching).findFirst().ifPresent(d -> {
            throw Rejection.conflict("a disk of VM " + Names.quote(vm.name()) + " (volume " + Names.quote(d.volumeId())
                    + ") is being detached: migrate it once the guest has let go of it");
        });
        vm.nics().stream().filter(VmNic::detaching).findFirst().ifPresent(n -> {
            throw Rejection.conflict("NIC " + n.mac() + " of VM " + Names.quote(vm.name())
                    + " is being detached: migrate it once the guest has let go of it");
        });
        // The host takes a requested snapshot as its next step; moving the VM meanwhile would lose it.
        state.vmSnapshotRequest(vm.id())
                .filter(r -> r.pending() && r.requestedAt().plus(VmSnapshotCommands.REQUEST_TTL).isAfter(at))
                .ifPresent(r -> {
                    throw Rejection.conflict("snapshot " + Names.quote(r.name()) + " of VM " + Names.quote(vm.name())
                            + " is being taken: migrate it once the snapshot is done");
                });
        NodeRecord target = VmRules.computeNode(state, Checks.required(c.targetNodeId(), "target node"));
        if (target.id().equals(vm.nodeId())) {
            throw Rejection.invalid("VM " + Names.quote(vm.name()) + " already runs on node " + Checks.describe(target));
        }
        VmRules.fits(state, target, vm.vcpus(), vm.ramMiB(), null);
        if (c.maxBandwidth() != null && (c.maxBandwidth() < MIN_BANDWIDTH || c.maxBandwidth() > MAX_BANDWIDTH)) {
            throw Rejection.invalid("the migration bandwidth limit must be between 1 MiB/s and 100 GiB/s, not "
                    + c.maxBandwidth() + " bytes/s");
        }
        VmMigration m = VmMigration.start(c.migrationId(), vm.nodeId(), target.id(), at, c.maxBandwidth());
        return put(vm.withMigration(m).withStatus(VmStatus.MIGRATING, "migrating to node " + target.name(), at));
    }

    Plan ready(ClusterState state, ReportMigrationReady c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmMigration m = current(vm, c.migrationId(), MigrationPhase.PREPARING);
        from(vm, m.targetNodeId(), c.nodeId(), "its target");
        String incoming = Checks.required(c.incoming(), "incoming address");
        if (!incoming.matches("[A-Za-z0-9.:\\[\\]-]{1,200}:[0-9]{1,5}")) {
            throw Rejection.invalid("incoming address must be host:port, not " + Names.quote(incoming));
        }
        return put(vm.withMigration(m.ready(incoming, Checks.required(c.at(), "time"))));
    }

    Plan progress(ClusterState state, ReportMigrationProgress c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmMigration m = current(vm, c.migrationId(), MigrationPhase.TRANSFERRING);
        from(vm, m.sourceNodeId(), c.nodeId(), "its source");
        if (c.ramTotalBytes() < 0 || c.ramTransferredBytes() < 0 || c.ramRemainingBytes() < 0) {
            throw Rejection.invalid("migration progress cannot be negative");
        }
        return put(vm.withMigration(m.progress(c.ramTotalBytes(), c.ramTransferredBytes(), c.ramRemainingBytes(),
                Checks.required(c.at(), "time"))));
    }

    /** The switch-over: the target becomes the host; the VM stays MIGRATING until it runs there. */
    Plan complete(ClusterState state, CompleteVmMigration c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmMigration m = current(vm, c.migrationId(), MigrationPhase.TRANSFERRING);
        from(vm, m.sourceNodeId(), c.nodeId(), "its source");
        Instant at = Checks.required(c.at(), "time");
        Plan plan = put(vm.withMigration(m.switching(c.stoppedAt(), c.downtimeMs(), at)).withNode(m.targetNodeId())
                .withStatus(VmStatus.MIGRATING, "switching over to node " + nodeName(state, m.targetNodeId()), at));
        HaCommands.followMigration(state, plan, vm, m.sourceNodeId(), m.targetNodeId());
        return plan;
    }

    Plan finish(ClusterState state, FinishVmMigration c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmMigration m = current(vm, c.migrationId(), MigrationPhase.SWITCHING);
        from(vm, m.targetNodeId(), c.nodeId(), "its target");
        Instant at = Checks.required(c.at(), "time");
        return put(vm.withMigration(m.completed(c.resumedAt(), at)).withStatus(VmStatus.ACTIVE, "", at));
    }

    /**
     * Before the switch-over either node may end it and the VM carries on on the source. After it,
     * only the target (the host by then) can, and the VM is in ERROR there: the source's QEMU is gone.
     */
    Plan fail(ClusterState state, FailVmMigration c) {
        Vm vm = VmRules.vm(state, c.vmId());
        VmMigration m = current(vm, c.migrationId(), null);
        Instant at = Checks.required(c.at(), "time");
        String why = c.reason() == null || c.reason().isBlank() ? "no reason given" : c.reason();
        if (m.phase() == MigrationPhase.SWITCHING) {
            from(vm, m.targetNodeId(), c.nodeId(), "its target, which hosts it since the switch-over");
            return put(vm.withMigration(m.ended(MigrationPhase.FAILED, why, at))
                    .withStatus(VmStatus.ERROR, "live migration failed at the switch-over: " + why, at)
                    .withDesired(VmPower.STOPPED, vm.stop()));
        }
        if (!m.sourceNodeId().equals(c.nodeId()) && !m.targetNodeId().equals(c.nodeId())) {
            throw Rejection.conflict("node " + Names.quote(c.nodeId()) + " takes no part in the migration of VM "
                    + Names.quote(vm.name()));
        }
        // A cancel cuts the stream, so the target's QEMU may fail on it and report first: that is
        // the cancel, not a failure of its own.
        boolean cancelled = c.cancelled() || m.cancelRequested();
        if (cancelled && !c.cancelled()) {
            why = "cancelled by request (the target stopped receiving: " + why + ")";
        }
        MigrationPhase end = cancelled ? MigrationPhase.CANCELLED : MigrationPhase.FAILED;
        String status = cancelled ? "live migration cancelled: " + why : "live migration failed: " + why;
        return put(vm.withMigration(m.ended(end, why, at)).withStatus(VmStatus.ACTIVE, status, at));
    }

    Plan cancel(ClusterState state, CancelVmMigration c) {
        Vm vm = VmRules.vm(state, c.vmId());
        if (!vm.migrating()) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is not migrating");
        }
        if (vm.migration().phase() == MigrationPhase.SWITCHING) {
            throw Rejection.conflict("VM " + Names.quote(vm.name()) + " is switching over to its new node:"
                    + " too late to cancel");
        }
        if (vm.migration().cancelRequested()) {
            return new Plan(codec, vm.id());
        }
        return put(vm.withMigration(vm.migration().cancelRequested(Checks.required(c.at(), "time"))));
    }

    /** The VM's migration {@code id}, running and (unless null) in {@code phase}. */
    private static VmMigration current(Vm vm, String id, MigrationPhase phase) {
        Checks.required(id, "migration id");
        VmMigration m = vm.migration();
        if (m == null || !m.id().equals(id)) {
            throw Rejection.conflict("migration " + Names.quote(id) + " of VM " + Names.quote(vm.name())
                    + " is not the current one");
        }
        if (!m.active()) {
            throw Rejection.conflict("migration " + Names.quote(id) + " of VM " + Names.quote(vm.name()) + " is "
                    + m.phase().name().toLowerCase() + " already");
        }
        if (phase != null && m.phase() != phase) {
            throw Rejection.conflict("migration " + Names.quote(id) + " of VM " + Names.quote(vm.name()) + " is "
                    + m.phase().name().toLowerCase() + ", not " + phase.name().toLowerCase());
        }
        return m;
    }

    private static void from(Vm vm, String expected, String actual, String role) {
        if (!expected.equals(Checks.required(actual, "reporting node"))) {
            throw Rejection.conflict("only node " + Names.quote(expected) + ", " + role + ", reports this step of the"
                    + " migration of VM " + Names.quote(vm.name()) + ", not " + Names.quote(actual));
        }
    }

    private static String nodeName(ClusterState state, String id) {
        return state.node(id).map(NodeRecord::name).orElse(id);
    }

    private Plan put(Vm vm) {
        return new Plan(codec, vm.id()).put(ClusterState.vmKey(vm.id()), vm);
    }
}
