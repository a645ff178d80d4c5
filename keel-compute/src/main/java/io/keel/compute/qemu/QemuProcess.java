package io.keel.compute.qemu;

import io.keel.compute.qmp.QmpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running QEMU and the QMP connection to it, either started by {@link QemuLauncher#launch} or
 * found again after a node-agent restart with {@link QemuLauncher#attach}.
 *
 * <p>{@link #close()} lets go of QEMU without stopping it: VMs outlive the agent that started them.
 * To stop the VM, ask it over {@link #qmp()} ({@code system_powerdown}, {@code quit}) or {@link #kill()}.
 */
public final class QemuProcess implements AutoCloseable {
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final ProcessHandle handle;
    private final Optional<Process> child;
    private final QmpClient qmp;
    private final Path logFile;

    QemuProcess(ProcessHandle handle, Optional<Process> child, QmpClient qmp, Path logFile) {
        this.handle = Objects.requireNonNull(handle, "handle");
        this.child = Objects.requireNonNull(child, "child");
        this.qmp = Objects.requireNonNull(qmp, "qmp");
        this.logFile = Objects.requireNonNull(logFile, "logFile");
    }

    public long pid() {
        return handle.pid();
    }

    public QmpClient qmp() {
        return qmp;
    }

    /** Where QEMU's stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Waits up to {@code timeout} for QEMU to exit; true if it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (child.isPresent()) {
            return child.get().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            handle.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + pid() + " failed", e.getCause());
        }
    }

    /**
     * QEMU's exit status once it has exited; empty while it runs, and always for an attached
     * process, whose status went to the agent that started it.
     */
    public OptionalInt exitCode() {
        if (child.isEmpty() || child.get().isAlive()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(child.get().exitValue());
    }

    /**
     * SIGKILL, like pulling the power cord: the guest flushes nothing. Waits briefly for the exit.
     *
     * @return true if QEMU is gone
     */
    public boolean kill() throws InterruptedException {
        qmp.close();
        handle.destroyForcibly();
        return awaitExit(KILL_WAIT);
    }

    /** Closes the QMP connection and leaves QEMU running. */
    @Override
    public void close() {
        qmp.close();
    }

    @Override
    public String toString() {
        return "QemuProcess[pid " + pid() + ", qmp " + qmp.socket() + ", log " + logFile + "]";
    }
}
