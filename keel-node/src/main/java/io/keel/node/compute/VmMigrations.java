package io.keel.node.compute;

import io.keel.compute.qemu.QemuLauncher;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which VMs this node's agent moves (ADR 0019): those migrating away, on the source's supervisor,
 * and those migrating here, which are not placed here yet but need a supervisor for their incoming
 * QEMU.
 */
public final class VmMigrations {
    private final String selfId;
    private final MigrationSource source;
    private final MigrationTarget target;

    public VmMigrations(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit, Clock clock,
            QemuLauncher launcher, VmSpecs specs, DiskHandover disks) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        MigrationLink link = new MigrationLink(selfId, state, submit, clock);
        this.source = new MigrationSource(link);
        this.target = new MigrationTarget(link, launcher, specs, disks);
    }

    /** VMs on their way to this node and not yet switched over. */
    List<Vm> incoming(ClusterState state) {
        return state.vms().stream().filter(v -> v.migrating() && v.migration().targetNodeId().equals(selfId)
                && !v.nodeId().equals(selfId)).toList();
    }

    /** This node's part in the VM's running migration: the source until the switch-over, then the target. */
    MigrationStep step(Vm vm) {
        return vm.nodeId().equals(selfId) && vm.migration().sourceNodeId().equals(selfId) ? source : target;
    }
}
