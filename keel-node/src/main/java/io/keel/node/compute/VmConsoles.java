package io.keel.node.compute;

import io.keel.api.ApiException;
import io.keel.api.console.ConsoleKind;
import io.keel.api.console.ConsoleService;
import io.keel.api.console.ConsoleTarget;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmStatus;
import java.util.Objects;
import java.util.function.Supplier;

/** Finds a VM's console: its QEMU's socket when the VM runs here, else the node that runs it. */
public final class VmConsoles implements ConsoleService {
    private final String selfId;
    private final VmRuntimeDirs dirs;
    private final Supplier<ClusterState> state;
    private final boolean tls;

    public VmConsoles(String selfId, VmRuntimeDirs dirs, Supplier<ClusterState> state, boolean tls) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.dirs = Objects.requireNonNull(dirs, "dirs");
        this.state = Objects.requireNonNull(state, "state");
        this.tls = tls;
    }

    @Override
    public ConsoleTarget locate(String vm, ConsoleKind kind) {
        Objects.requireNonNull(kind, "kind");
        ClusterState s = state.get();
        Vm v = s.vmByIdOrName(Objects.requireNonNull(vm, "vm"))
                .orElseThrow(() -> ApiException.notFound("no VM " + vm));
        if (v.status() != VmStatus.ACTIVE && v.status() != VmStatus.PAUSED) {
            throw ApiException.conflict("VM " + v.name() + " is " + v.status().name().toLowerCase()
                    + ": its console exists only while it runs (start it first)");
        }
        if (v.nodeId().equals(selfId)) {
            VmRuntime runtime = dirs.of(v.id());
            // Every VM has a VGA display served on vnc.sock; one started before VMs had it has no socket.
            return new ConsoleTarget.Local(kind == ConsoleKind.VNC ? runtime.vncSocket() : runtime.serialSocket());
        }
        NodeRecord host = s.node(v.nodeId()).orElseThrow(() -> ApiException.conflict("VM " + v.name()
                + " is placed on node " + v.nodeId() + ", which is not in the cluster"));
        return new ConsoleTarget.Remote(host.id(), host.address(), host.apiPort(), tls);
    }
}
