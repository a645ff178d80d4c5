package io.keel.node.compute;

import io.keel.compute.qemu.QemuLauncher;
import io.keel.compute.qmp.QmpClient;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmSnapshotRequest;
import io.keel.meta.cluster.VmStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import io.keel.ha.LocalInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's VM agent: every round it reads the VMs placed on this node and lets each one's
 * supervisor take a step towards the state its record asks for, on a virtual thread of its own so
 * that a slow stop does not hold up the others. At its first round it re-attaches to QEMUs that
 * an earlier agent process started: VMs outlive the agent (ADR 0014).
 */
public final class VmAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VmAgent.class);

    private final String selfId;
    private final VmRuntimeDirs dirs;
    private final QemuLauncher launcher;
    private final VmSpecs specs;
    private final Consumer<ClusterCommand> submit;
    private final Clock clock;
    private final VmMigrations migrations;
    private final VmSnapshotter snapshotter;
    private final VmDiskPlugger plugger;
    private final VmNicPlugger nicPlugger;
    private final VmSuspender suspender;
    private final Predicate<Vm> mayLaunch;
    private final Map<String, VmSupervisor> supervisors = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Boolean> migratingNow = new HashMap<>();
    private boolean adopted;
    private boolean closed;

    public VmAgent(String selfId, VmRuntimeDirs dirs, QemuLauncher launcher, VmSpecs specs,
            Consumer<ClusterCommand> submit, Clock clock, VmMigrations migrations, VmSnapshotter snapshotter,
            VmSuspender suspender, Predicate<Vm> mayLaunch) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.dirs = Objects.requireNonNull(dirs, "dirs");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.migrations = Objects.requireNonNull(migrations, "migrations");
        this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
        this.plugger = new VmDiskPlugger(specs, this::detached);
        this.nicPlugger = new VmNicPlugger(specs, this::nicDetached);
        this.suspender = Objects.requireNonNull(suspender, "suspender");
        this.mayLaunch = Objects.requireNonNull(mayLaunch, "mayLaunch");
    }

    /** One round over {@code state}; returns at once (the steps run on their own threads). */
    public synchronized void tick(ClusterState state) {
        if (closed) {
            return;
        }
        Set<String> here = new HashSet<>();
        List<Vm> mine = new ArrayList<>(state.vmsOn(selfId));
        mine.addAll(migrations.incoming(state));
        for (Vm vm : mine) {
            here.add(vm.id());
            names.put(vm.id(), vm.name());
            migratingNow.put(vm.id(), vm.migrating());
            VmSupervisor s = supervisors.computeIfAbsent(vm.id(), id -> new VmSupervisor(id, dirs.of(id), launcher,
                    specs, this::report, plugger, nicPlugger, mayLaunch));
            if (!adopted) {
                s.tryStep(() -> s.adopt(vm));
            }
            Optional<VmSnapshotRequest> snap = state.vmSnapshotRequest(vm.id()).filter(snapshotter::wants);
            // A requested snapshot takes this round's step, so no power change interleaves with its pause.
            Runnable step = vm.migrating() ? () -> s.replace(vm, migrations.step(vm)::run)
                    : snap.isPresent() ? () -> snapshotter.take(vm, snap.get(), s.qmp(), dirs.of(vm.id()))
                    : suspender.wants(vm, state) ? () -> s.replace(vm, suspender::step)
                    : () -> s.reconcile(vm);
            Thread.ofVirtual().name("vm-" + vm.name()).start(() -> s.tryStep(step));
        }
        adopted = true;
        for (String id : Set.copyOf(supervisors.keySet())) {
            if (!here.contains(id)) {
                VmSupervisor s = supervisors.remove(id);
                String name = names.remove(id);
                migratingNow.remove(id);
                log.info("VM {} ({}) is no longer placed on this node: stopping its QEMU here", name, id);
                Thread.ofVirtual().name("vm-evict-" + id).start(() -> s.stepWhenFree(() -> s.evict(name)));
            }
        }
    }

    /** A running VM's QMP connection, for readers such as the stats collector (QEMU serves one client). */
    public synchronized Optional<QmpClient> qmp(String vmId) {
        VmSupervisor s = supervisors.get(vmId);
        return s == null ? Optional.empty() : s.qmp();
    }

    /** The QEMUs of this node as the HA local resource manager sees them, by VM id. */
    public synchronized Map<String, LocalInstance> instances() {
        Map<String, LocalInstance> out = new HashMap<>();
        supervisors.forEach((id, s) -> {
            LocalInstance i = s.instance(id, migratingNow.getOrDefault(id, false));
            if (i != null) {
                out.put(id, i);
            }
        });
        return out;
    }

    /** Kills the VM's QEMU at once (self-fence, or a failed VM); it stays down until {@link #restart}. */
    public void kill(String vmId, String why) {
        VmSupervisor s;
        synchronized (this) {
            s = supervisors.get(vmId);
        }
        if (s != null) {
            try {
                s.kill(why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** VMs whose QEMU is alive here (running, starting, stopping or migrating), by id. */
    public synchronized Set<String> live() {
        Set<String> out = new HashSet<>();
        instances().forEach((id, i) -> {
            if (i.state() != LocalInstance.State.FAILED) {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * Stops the VM's QEMU cleanly in the background, leaving its desired power as it is (a
     * graceful node shutdown, ADR 0030), after the VM's step under way if any. The thread ends
     * when QEMU is gone; the caller bounds its wait and kills what is left.
     */
    public Optional<Thread> powerOff(Vm vm, java.time.Duration wait) {
        return powerOff(vm, wait, true);
    }

    /** As {@link #powerOff(Vm, java.time.Duration)}, but nothing while a step of the VM is under way: the caller asks again. */
    public void powerOffIfIdle(Vm vm, java.time.Duration wait) {
        powerOff(vm, wait, false);
    }

    private Optional<Thread> powerOff(Vm vm, java.time.Duration wait, boolean queue) {
        VmSupervisor s;
        synchronized (this) {
            s = supervisors.get(vm.id());
        }
        if (s == null) {
            return Optional.empty();
        }
        Runnable step = () -> s.powerOff(vm, wait);
        return Optional.of(Thread.ofVirtual().name("vm-poweroff-" + vm.name()).start(() -> {
            if (queue) {
                s.stepWhenFree(step);
            } else {
                s.tryStep(step);
            }
        }));
    }

    /** Lets a failed VM start again at the next round (the HA restart policy allowed it). */
    public synchronized void restart(String vmId) {
        VmSupervisor s = supervisors.get(vmId);
        if (s != null) {
            s.restart();
        }
    }

    private void report(Vm vm, VmStatus status, String reason, VmPower adoptPower) {
        try {
            submit.accept(new ClusterCommand.ReportVmStatus(vm.id(), selfId, status, reason, adoptPower,
                    clock.instant()));
        } catch (RuntimeException e) {
            log.warn("VM {}: cannot report {} yet: {}", vm.name(), status, e.getMessage());
        }
    }

    private void detached(Vm vm, String volumeId) {
        try {
            submit.accept(new ClusterCommand.ReportVmDiskDetached(vm.id(), selfId, volumeId));
            log.info("VM {}: volume {} detached", vm.name(), volumeId);
        } catch (RuntimeException e) {
            log.warn("VM {}: cannot report volume {} detached yet: {}", vm.name(), volumeId, e.getMessage());
        }
    }

    private void nicDetached(Vm vm, String mac) {
        try {
            submit.accept(new ClusterCommand.ReportVmNicDetached(vm.id(), selfId, mac));
            log.info("VM {}: NIC {} detached", vm.name(), mac);
        } catch (RuntimeException e) {
            log.warn("VM {}: cannot report NIC {} detached yet: {}", vm.name(), mac, e.getMessage());
        }
    }

    /** Leaves every QEMU running: stopping the agent is not stopping the VMs. */
    @Override
    public synchronized void close() {
        closed = true;
        supervisors.values().forEach(VmSupervisor::detach);
    }
}
