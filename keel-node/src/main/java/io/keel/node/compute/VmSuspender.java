package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.block.BlockDevice;
import io.keel.compute.qemu.QemuLauncher;
import io.keel.compute.qemu.QemuProcess;
import io.keel.compute.qemu.QemuStartException;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmSavedState;
import io.keel.meta.cluster.VmStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suspend and resume on the VM's host (ADR 0021). Suspend: QMP {@code stop}, then QEMU's migration
 * stream over a Unix socket in the VM's runtime directory into the VM's state volume (opened in
 * this process as the NBD server opens volumes), the byte count recorded with the state, then QEMU
 * quits. Resume: QEMU started with the same machine and {@code -incoming defer}, the stream fed back
 * with {@code migrate-incoming}, then {@code cont}. Runs as the VM's supervisor step, so it uses the
 * VM's one QMP connection and no power change interleaves with it.
 */
public final class VmSuspender {
    private static final Logger log = LoggerFactory.getLogger(VmSuspender.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** A save or restore that moves no byte for this long has failed (QEMU or storage stuck). */
    static final Duration STALL = Duration.ofSeconds(60);
    /** How long a finished step is trusted over a view of the records that does not show it yet. */
    private static final Duration LAG = Duration.ofSeconds(10);

    /** Opens a volume by id on this node. */
    @FunctionalInterface
    public interface Volumes {
        BlockDevice open(String volumeId, boolean write) throws IOException;
    }

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Consumer<ClusterCommand> submit;
    private final Clock clock;
    private final QemuLauncher launcher;
    private final VmSpecs specs;
    private final Volumes volumes;
    /** State volumes whose save this agent recorded: the records it reads may lag behind. */
    private final Set<String> saved = ConcurrentHashMap.newKeySet();
    /** VMs this agent resumed, and when (nanoTime), for the same reason. */
    private final Map<String, Long> resumed = new ConcurrentHashMap<>();

    public VmSuspender(String selfId, Supplier<ClusterState> state, Consumer<ClusterCommand> submit, Clock clock,
            QemuLauncher launcher, VmSpecs specs, Volumes volumes) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.volumes = Objects.requireNonNull(volumes, "volumes");
    }

    /** True if the VM's next step is this class's: a save, a resume, or a suspended VM's stop to report. */
    boolean wants(Vm vm, ClusterState s) {
        if (vm.power() == VmPower.SUSPENDED) {
            return true;
        }
        if (vm.power() == VmPower.RUNNING) {
            return s.vmSavedState(vm.id()).filter(VmSavedState::saved).isPresent();
        }
        return vm.power() == VmPower.STOPPED && vm.status() == VmStatus.SUSPENDED;
    }

    /** The step: returns the QEMU the supervisor keeps. */
    QemuProcess step(Vm vm, QemuProcess process, VmRuntime runtime) throws InterruptedException {
        VmSavedState s = state.get().vmSavedState(vm.id()).orElse(null);
        boolean alive = process != null && process.isAlive();
        if (vm.power() == VmPower.STOPPED) {
            if (alive) {
                quit(process);
            }
            report(vm, VmStatus.SHUTOFF, "stopped while suspended: its saved state was discarded", null);
            return null;
        }
        if (s == null) {
            return process;
        }
        if (vm.power() == VmPower.RUNNING) {
            return alive ? resumedAlready(vm, process) : resume(vm, s, runtime);
        }
        if (s.saved() || saved.contains(s.volumeId())) {
            if (alive) {
                log.info("VM {} ({}): its state is saved; its QEMU still ran: stopping it", vm.name(), vm.id());
                quit(process);
            }
            return null;
        }
        if (!alive) {
            String why = "QEMU was gone before its state was saved" + VmSpecs.logTail(runtime.log());
            report(new ClusterCommand.FailVmSuspend(vm.id(), selfId, VmStatus.ERROR, why, clock.instant()));
            report(vm, VmStatus.ERROR, "suspend failed: " + why, VmPower.STOPPED);
            return null;
        }
        return save(vm, s, process, runtime);
    }

    private QemuProcess save(Vm vm, VmSavedState s, QemuProcess process, VmRuntime runtime)
            throws InterruptedException {
        long t0 = System.nanoTime();
        QmpClient qmp = process.qmp();
        boolean wasRunning = false;
        try {
            wasRunning = qmp.queryStatus().running();
            if (wasRunning) {
                qmp.stop();
            }
            long bytes;
            try (BlockDevice dev = volumes.open(s.volumeId(), true)) {
                bytes = StateSaver.save(qmp, dev, runtime.dir().resolve("state.sock"), b -> report(
                        new ClusterCommand.ReportVmSuspendProgress(vm.id(), selfId, b, clock.instant())));
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            saved.add(s.volumeId());
            if (!reportHard(new ClusterCommand.CompleteVmSuspend(vm.id(), selfId, bytes, millis, clock.instant()))) {
                saved.remove(s.volumeId());
                throw new IOException("the saved state could not be recorded");
            }
            log.info("VM {} ({}): suspended, {} bytes of state saved to volume {} in {} ms", vm.name(), vm.id(),
                    bytes, s.volumeId(), millis);
            quit(process);
            return null;
        } catch (IOException e) {
            log.warn("VM {} ({}): suspend failed: {}", vm.name(), vm.id(), e.getMessage());
            try {
                qmp.execute("migrate_cancel");
                if (wasRunning) {
                    qmp.cont();
                }
            } catch (IOException again) {
                log.warn("VM {} ({}): after the failed suspend: {}", vm.name(), vm.id(), again.getMessage());
            }
            report(new ClusterCommand.FailVmSuspend(vm.id(), selfId, wasRunning ? VmStatus.ACTIVE : VmStatus.PAUSED,
                    e.getMessage(), clock.instant()));
            return process;
        }
    }

    private QemuProcess resume(Vm vm, VmSavedState s, VmRuntime runtime) throws InterruptedException {
        long t0 = System.nanoTime();
        QemuProcess p;
        try {
            p = launcher.launch(specs.spec(vm, runtime, true).incomingDeferred(), runtime.log());
        } catch (QemuStartException e) {
            return resumeFailed(vm, null, "QEMU did not start: " + e.getMessage()
                    + (e.logTail().isBlank() ? "" : ": " + e.logTail().strip()));
        } catch (IOException | IllegalArgumentException e) {
            return resumeFailed(vm, null, e.getMessage());
        }
        try {
            QmpClient qmp = p.qmp();
            java.nio.file.Path socket = runtime.dir().resolve("state.sock");
            java.nio.file.Files.deleteIfExists(socket);
            ObjectNode args = qmp.arguments();
            args.put("uri", "unix:" + socket);
            qmp.execute("migrate-incoming", args, Duration.ofSeconds(5));
            try (BlockDevice dev = volumes.open(s.volumeId(), false)) {
                StateStream.send(dev, s.stateBytes(), socket);
            }
            awaitRestore(qmp, runtime);
            qmp.cont();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            resumed.put(vm.id(), System.nanoTime());
            log.info("VM {} ({}): resumed from {} bytes of saved state in {} ms", vm.name(), vm.id(), s.stateBytes(),
                    millis);
            reportHard(new ClusterCommand.FinishVmResume(vm.id(), selfId, millis, clock.instant()));
            return p;
        } catch (IOException e) {
            return resumeFailed(vm, p, e.getMessage());
        }
    }

    private void awaitRestore(QmpClient qmp, VmRuntime runtime) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode info = qmp.execute("query-migrate");
            String status = info.path("status").asText("none");
            if ("completed".equals(status)) {
                return;
            }
            if ("failed".equals(status)) {
                throw new IOException("QEMU could not load the saved state" + VmSpecs.logTail(runtime.log()));
            }
            Thread.sleep(POLL);
        }
        throw new IOException("QEMU did not finish loading the saved state within " + STALL.toSeconds() + " s");
    }

    /** The saved state stays, so a later resume can try again; a stop discards it. */
    private QemuProcess resumeFailed(Vm vm, QemuProcess p, String why) throws InterruptedException {
        log.warn("VM {} ({}): resume failed: {}", vm.name(), vm.id(), why);
        if (p != null) {
            if (p.isAlive()) {
                p.kill();
            }
            p.close();
        }
        report(vm, VmStatus.SUSPENDED, "resume failed: " + why, VmPower.SUSPENDED);
        return null;
    }

    /** QEMU runs and the record still asks for a resume: the record lags, or the finish was not recorded. */
    private QemuProcess resumedAlready(Vm vm, QemuProcess p) throws InterruptedException {
        Long at = resumed.get(vm.id());
        if (at != null && System.nanoTime() - at < LAG.toNanos()) {
            return p;
        }
        resumed.put(vm.id(), System.nanoTime());
        report(new ClusterCommand.FinishVmResume(vm.id(), selfId, 0, clock.instant()));
        return p;
    }

    private static void quit(QemuProcess p) throws InterruptedException {
        try {
            p.qmp().quit();
        } catch (QmpException e) {
            log.debug("quit: {}", e.getMessage());
        }
        if (!p.awaitExit(Duration.ofSeconds(10))) {
            p.kill();
        }
        p.close();
    }

    private void report(Vm vm, VmStatus status, String reason, VmPower adopt) {
        report(new ClusterCommand.ReportVmStatus(vm.id(), selfId, status, reason, adopt, clock.instant()));
    }

    private boolean report(ClusterCommand c) {
        try {
            submit.accept(c);
            return true;
        } catch (RuntimeException e) {
            log.warn("{} not recorded: {}", c.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    /** A step whose loss would strand the VM: tried for up to 10 s. */
    private boolean reportHard(ClusterCommand c) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            if (report(c)) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }
}
