package io.keel.node.compute;

import io.keel.compute.qemu.QemuLauncher;
import io.keel.compute.qemu.QemuProcess;
import io.keel.compute.qemu.QemuStartException;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpEvent;
import io.keel.compute.qmp.QmpException;
import io.keel.meta.cluster.Vm;
import io.keel.meta.cluster.VmPower;
import io.keel.meta.cluster.VmStatus;
import io.keel.meta.cluster.VmStopMode;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one VM's QEMU to the state its record asks for, one step per call, and reports what it
 * sees. Calls never overlap (a stop can take a minute); the agent skips a VM whose previous step
 * still runs. Everything is decided from the record and the process as they are now, so a
 * restarted agent carries on where the previous one stopped.
 */
final class VmSupervisor {
    private static final Logger log = LoggerFactory.getLogger(VmSupervisor.class);
    private static final Duration QUIT_WAIT = Duration.ofSeconds(10);
    private static final long SERIAL_LOG_MAX_BYTES = 8L << 20;
    private static final String IO_ERROR = "io-error";

    private final String vmId;
    private final VmRuntime runtime;
    private final QemuLauncher launcher;
    private final VmSpecs specs;
    private final VmReporter reporter;
    private final VmDiskPlugger plugger;
    private final VmNicPlugger nics;
    /** Whether the HA engine lets this node start the VM's QEMU now (ADR 0029). */
    private final Predicate<Vm> mayLaunch;
    private final ReentrantLock busy = new ReentrantLock();
    /** Volatile: {@link #qmp()} is read by the stats collector outside the steps. */
    private volatile QemuProcess process;
    private long eventMark;
    private long rebootsDone;
    private boolean stopping;
    /**
     * Why the VM failed here (QEMU died, paused on an I/O error, killed by the HA engine), or null.
     * A failed VM is not started again until the local resource manager restarts it by policy.
     */
    private volatile String failure;
    /** The QEMU {@link #kill} ended: its exit is the kill's doing, not a new failure. */
    private volatile QemuProcess killed;

    VmSupervisor(String vmId, VmRuntime runtime, QemuLauncher launcher, VmSpecs specs, VmReporter reporter,
            VmDiskPlugger plugger, VmNicPlugger nics, Predicate<Vm> mayLaunch) {
        this.vmId = Objects.requireNonNull(vmId, "vmId");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.plugger = Objects.requireNonNull(plugger, "plugger");
        this.nics = Objects.requireNonNull(nics, "nics");
        this.mayLaunch = Objects.requireNonNull(mayLaunch, "mayLaunch");
    }

    /** Runs {@code step} unless a step is already running; true if it ran. */
    boolean tryStep(Runnable step) {
        if (!busy.tryLock()) {
            return false;
        }
        try {
            step.run();
            return true;
        } finally {
            busy.unlock();
        }
    }

    /** Runs {@code step} once the running one (a migration's last step, say) is done. */
    void stepWhenFree(Runnable step) {
        busy.lock();
        try {
            step.run();
        } finally {
            busy.unlock();
        }
    }

    /** Re-attaches to a QEMU started by an earlier agent process, if one still runs. */
    void adopt(Vm vm) {
        runtime.recordedPid().ifPresent(pid -> {
            try {
                process = launcher.attach(pid, runtime.qmpSocket(), runtime.log());
                eventMark = process.qmp().eventMark();
                rebootsDone = vm.rebootSeq();
                log.info("VM {} ({}): re-attached to its QEMU, pid {}", vm.name(), vmId, pid);
            } catch (IOException e) {
                log.info("VM {} ({}): its QEMU (pid {}) is gone: {}", vm.name(), vmId, pid, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    void reconcile(Vm vm) {
        try {
            if (process != null && !process.isAlive()) {
                exited(vm);
                return;
            }
            switch (vm.power()) {
                case RUNNING -> run(vm);
                case PAUSED -> pause(vm);
                case STOPPED -> stop(vm);
            }
        } catch (IOException e) {
            // QMP errors included: the process check at the next round tells a dead QEMU from a hiccup.
            log.warn("VM {} ({}): {}", vm.name(), vmId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Vm vm) throws QmpException, IOException, InterruptedException {
        if (process == null) {
            if (failure == null && mayLaunch.test(vm) && launch(vm, false)) {
                reporter.report(vm, VmStatus.ACTIVE, "", null);
            }
            return;
        }
        if (vm.rebootSeq() > rebootsDone) {
            reboot(vm);
            return;
        }
        io.keel.compute.qmp.QmpStatus now = process.qmp().queryStatus();
        if (!now.running() && IO_ERROR.equals(now.status())) {
            // Alive and holding its disks' leases, yet not running: a failed resource, which the
            // local resource manager kills and restarts; resuming it would hide the failure.
            if (failure == null) {
                failure = "QEMU paused the guest on an I/O error";
                log.warn("VM {} ({}): {}", vm.name(), vmId, failure);
                reporter.report(vm, VmStatus.ERROR, failure, null);
            }
            return;
        }
        if (!now.running()) {
            process.qmp().cont();
        }
        reportIfChanged(vm, VmStatus.ACTIVE);
        plugger.reconcile(vm, process.qmp());
        nics.reconcile(vm, process.qmp());
    }

    private void pause(Vm vm) throws QmpException, IOException, InterruptedException {
        if (process == null) {
            if (failure == null && mayLaunch.test(vm) && launch(vm, true)) {
                reporter.report(vm, VmStatus.PAUSED, "", null);
            }
            return;
        }
        if (process.qmp().queryStatus().running()) {
            process.qmp().stop();
        }
        reportIfChanged(vm, VmStatus.PAUSED);
        plugger.reconcile(vm, process.qmp());
        nics.reconcile(vm, process.qmp());
    }

    private void stop(Vm vm) throws InterruptedException, IOException {
        if (process != null) {
            shutDown(vm.stop(), vm.name());
            String reason = vm.stop().isHard() ? "hard stop: QEMU quit without asking the guest" : "";
            reporter.report(vm, VmStatus.SHUTOFF, reason, null);
            return;
        }
        // Stopped as desired: whatever failed before is over, and a later start is a fresh one.
        failure = null;
        if (vm.status() != VmStatus.SHUTOFF && vm.status() != VmStatus.ERROR) {
            reporter.report(vm, VmStatus.SHUTOFF, "", null);
        }
    }

    /** Graceful: the ACPI power button, then quit once the timeout is over; QMP quit, then SIGKILL. */
    private void shutDown(VmStopMode mode, String name) throws InterruptedException, IOException {
        stopping = true;
        try {
            if (!mode.isHard()) {
                try {
                    process.qmp().systemPowerdown();
                } catch (QmpException e) {
                    log.info("VM {}: power button not pressed: {}", name, e.getMessage());
                }
                if (process.awaitExit(Duration.ofSeconds(mode.timeoutSeconds()))) {
                    gone();
                    return;
                }
                log.info("VM {}: the guest did not power off within {} s: stopping it", name, mode.timeoutSeconds());
            }
            try {
                process.qmp().quit();
            } catch (QmpException e) {
                log.debug("VM {}: quit: {}", name, e.getMessage());
            }
            if (!process.awaitExit(QUIT_WAIT)) {
                process.kill();
            }
            gone();
        } finally {
            stopping = false;
        }
    }

    /**
     * A hard reboot resets the machine at once. A soft one asks the guest to power off and starts
     * it again; a guest that ignores the request within the stop timeout is reset instead.
     */
    private void reboot(Vm vm) throws QmpException, IOException, InterruptedException {
        rebootsDone = vm.rebootSeq();
        if (!vm.rebootHard()) {
            process.qmp().systemPowerdown();
            if (process.awaitExit(Duration.ofSeconds(vm.stop().timeoutSeconds()))) {
                gone();
                if (launch(vm, false)) {
                    reporter.report(vm, VmStatus.ACTIVE, "rebooted", null);
                }
                return;
            }
        }
        process.qmp().systemReset();
        reporter.report(vm, VmStatus.ACTIVE, vm.rebootHard() ? "reset" : "reset: the guest ignored the power button",
                null);
    }

    /** QEMU went away without being asked: the guest powered off, or QEMU failed. Either way it stays off. */
    private void exited(Vm vm) throws IOException, InterruptedException {
        QemuProcess p = process;
        gone();
        if (stopping) {
            return;
        }
        if (p == killed) {
            killed = null;
            if (failure == null) {
                // Killed for a restart the HA engine allowed (restart() came first): the next step
                // starts a fresh QEMU. Counted as a new failure, it used up the restart budget.
                log.info("VM {} ({}): the QEMU killed for its restart has exited", vm.name(), vmId);
                return;
            }
        }
        Optional<QmpEvent> shutdown = shutdownEvent(p);
        boolean byGuest = shutdown.map(e -> e.data().path("guest").asBoolean(false)).orElse(false);
        String status = p.exitCode().isPresent() ? "status " + p.exitCode().getAsInt() : "status unknown";
        if (byGuest) {
            log.info("VM {} ({}): the guest powered off", vm.name(), vmId);
            reporter.report(vm, VmStatus.SHUTOFF, "the guest powered off", VmPower.STOPPED);
        } else {
            // Not stopped by anyone's wish: a failed resource that the HA engine restarts by its
            // policy, so the desired power stays as it is (ADR 0029).
            String reason = failure != null ? failure
                    : "QEMU exited unexpectedly (" + status + ")" + VmSpecs.logTail(runtime.log());
            failure = reason;
            log.warn("VM {} ({}): {}", vm.name(), vmId, reason);
            reporter.report(vm, VmStatus.ERROR, reason, null);
        }
    }

    private Optional<QmpEvent> shutdownEvent(QemuProcess p) {
        try {
            return Optional.of(p.qmp().awaitEvent("SHUTDOWN", eventMark, Duration.ZERO));
        } catch (QmpException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** True if QEMU runs; a start that fails is reported as ERROR with QEMU's own words. */
    private boolean launch(Vm vm, boolean paused) throws IOException, InterruptedException {
        try {
            runtime.rotateSerialLog(SERIAL_LOG_MAX_BYTES);
            process = launcher.launch(specs.spec(vm, runtime, paused), runtime.log());
        } catch (QemuStartException e) {
            String words = e.getMessage() + (e.logTail().isBlank() ? "" : ": " + e.logTail().strip());
            log.warn("VM {} ({}) did not start: {}", vm.name(), vmId, words);
            startFailed(vm, "did not start: " + words);
            return false;
        } catch (IllegalArgumentException e) {
            startFailed(vm, "cannot be started here: " + e.getMessage());
            return false;
        }
        eventMark = process.qmp().eventMark();
        rebootsDone = vm.rebootSeq();
        runtime.recordPid(process.pid());
        log.info("VM {} ({}) started{}: QEMU pid {}", vm.name(), vmId, paused ? " paused" : "", process.pid());
        return true;
    }

    /**
     * A start that failed is a failed resource, like a QEMU that died (ADR 0030): its desired
     * power stays, and the HA local manager restarts it by its policy, then the manager moves it.
     */
    private void startFailed(Vm vm, String reason) {
        failure = reason;
        reporter.report(vm, VmStatus.ERROR, reason, null);
    }

    private void gone() throws IOException {
        if (process != null) {
            process.close();
        }
        process = null;
        runtime.forgetPid();
        specs.releaseAll(vmId);
    }

    private void reportIfChanged(Vm vm, VmStatus status) {
        if (vm.status() != status) {
            reporter.report(vm, status, "", null);
        }
    }

    /**
     * A step that may end or replace this VM's QEMU (a live-migration step, ADR 0019; suspend,
     * resume); the step says which process is kept.
     */
    void replace(Vm vm, ProcessStep step) {
        try {
            QemuProcess next = step.run(vm, process, runtime);
            if (next != process) {
                process = next;
                if (next == null) {
                    runtime.forgetPid();
                    // No QEMU here any more (suspended, or moved to another node): nor its taps.
                    specs.releaseAll(vmId);
                } else {
                    // A new QEMU (an incoming migration, a resume) is a new instance: whatever failed
                    // before is over. Kept, a failure from before a partition (self-fence) made the
                    // HA restart policy kill the VM that had just migrated back here.
                    failure = null;
                    eventMark = next.qmp().eventMark();
                    rebootsDone = vm.rebootSeq();
                    runtime.recordPid(next.pid());
                }
            }
        } catch (IOException e) {
            log.warn("VM {} ({}): {}", vm.name(), vmId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The VM left this node (deleted, or placed elsewhere): its QEMU must not run here. */
    void evict(String name) {
        try {
            if (process != null) {
                shutDown(VmStopMode.hard(), name);
            }
            runtime.delete();
            specs.releaseAll(vmId);
        } catch (IOException e) {
            log.warn("VM {} ({}): cleaning up: {}", name, vmId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills QEMU at once (self-fence, or a failed VM): no lock, since a step may hang on the very
     * QEMU being killed. The VM stays failed until {@link #restart}.
     */
    void kill(String why) throws InterruptedException {
        QemuProcess p = process;
        if (p != null && p.isAlive()) {
            failure = why;
            killed = p;
            p.kill();
        }
    }

    /**
     * Stops QEMU cleanly (power button, then quit after {@code wait}) without touching the VM's
     * desired power: its node is shutting down and nobody takes it, so it starts again where the
     * HA status places it once the node is back (ADR 0030). Call inside a step.
     */
    void powerOff(Vm vm, Duration wait) {
        try {
            if (process == null || !process.isAlive()) {
                return;
            }
            shutDown(VmStopMode.graceful((int) Math.max(1, wait.toSeconds())), vm.name());
            // In the background: when the whole cluster goes down the write waits out the request
            // timeout for a majority that is gone, and the node's shutdown waits for this step.
            Thread.ofVirtual().name("vm-report-" + vm.name()).start(() -> reporter.report(vm, VmStatus.SHUTOFF,
                    "stopped for its node's shutdown; it starts again when the node is back", null));
        } catch (IOException e) {
            log.warn("VM {} ({}): stopping for the node's shutdown: {}", vm.name(), vmId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the next step start QEMU again (the HA restart policy allowed it). */
    void restart() {
        failure = null;
    }

    /** This VM as the local resource manager sees it, or null when no QEMU runs for it here. */
    io.keel.ha.LocalInstance instance(String resourceId, boolean migrating) {
        String failed = failure;
        QemuProcess p = process;
        // A live QEMU that is migrating is the migration's business, whatever failed before it.
        if (failed != null && !(migrating && p != null && p.isAlive())) {
            return new io.keel.ha.LocalInstance(resourceId, io.keel.ha.LocalInstance.State.FAILED, failed);
        }
        if (p == null || !p.isAlive()) {
            return null;
        }
        io.keel.ha.LocalInstance.State state = migrating ? io.keel.ha.LocalInstance.State.MIGRATING
                : stopping ? io.keel.ha.LocalInstance.State.STOPPING : io.keel.ha.LocalInstance.State.RUNNING;
        return new io.keel.ha.LocalInstance(resourceId, state, null);
    }

    /** Drops the QMP connection and leaves QEMU running: the node agent is stopping, not the VM. */
    void detach() {
        if (process != null) {
            process.close();
        }
    }

    /** The VM's one QMP connection while its QEMU runs; use it inside a step ({@link #tryStep}). */
    Optional<QmpClient> qmp() {
        QemuProcess p = process;
        return p != null && p.isAlive() ? Optional.of(p.qmp()) : Optional.empty();
    }
}
