package io.keel.compute.qemu;

import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpClientOptions;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts QEMU processes and connects to their QMP sockets, or reconnects to ones already running.
 *
 * <p>QEMU's output goes to a log file, never to a pipe: a pipe would tie QEMU to this JVM, and a
 * QEMU writing to a pipe nobody reads after an agent restart would block or die of SIGPIPE.
 */
public final class QemuLauncher {
    private static final int LOG_TAIL_BYTES = 4096;
    private static final long POLL_MILLIS = 20;

    private final Path binary;
    private final Duration startTimeout;
    private final QmpClientOptions qmpOptions;
    private final boolean ownSession;

    /**
     * @param binary       the emulator, for example {@link QemuBinary#locateX86_64()}
     * @param startTimeout from starting the process to a negotiated QMP connection
     * @param qmpOptions   for the QMP connection (its connect timeout is capped by what is left of startTimeout)
     */
    public QemuLauncher(Path binary, Duration startTimeout, QmpClientOptions qmpOptions) {
        this(binary, startTimeout, qmpOptions, false);
    }

    /**
     * @param ownSession start QEMU in a session of its own ({@code setsid}), so a signal to the
     *                   agent's process group (Ctrl-C in its terminal, a service manager stopping
     *                   it) does not reach the VMs; setsid execs QEMU in place, so the pid is QEMU's
     */
    public QemuLauncher(Path binary, Duration startTimeout, QmpClientOptions qmpOptions, boolean ownSession) {
        this.ownSession = ownSession;
        this.binary = Objects.requireNonNull(binary, "binary");
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
        this.qmpOptions = Objects.requireNonNull(qmpOptions, "qmpOptions");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
        }
    }

    /**
     * Starts QEMU for {@code spec}, appending its output to {@code logFile}, and returns once QMP is
     * negotiated.
     *
     * @throws QemuStartException    if QEMU cannot be started, exits, or opens no QMP in time (it is then killed)
     * @throws IllegalStateException if a live process already listens on one of the spec's sockets
     */
    public QemuProcess launch(VmLaunchSpec spec, Path logFile) throws IOException, InterruptedException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(logFile, "logFile");
        SocketPaths.clearStale(spec.qmpSocket());
        SocketPaths.clearStale(spec.serialSocket());
        if (spec.vncSocket().isPresent()) {
            SocketPaths.clearStale(spec.vncSocket().get());
        }
        List<String> argv = new ArrayList<>();
        if (ownSession) {
            argv.add("setsid");
        }
        argv.add(binary.toString());
        argv.addAll(QemuCommandLine.build(spec));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Files.writeString(logFile, "keel: " + Instant.now() + " starting VM " + spec.name() + ": " + String.join(" ", argv) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long logStart = Files.size(logFile);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new QemuStartException("cannot start " + binary + " for VM " + spec.name() + ": " + e.getMessage(), "", e);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try {
            QmpClient qmp = awaitQmp(p, spec, logFile, logStart, deadline);
            return new QemuProcess(p.toHandle(), Optional.of(p), qmp, logFile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw e;
        }
    }

    // Polls for the QMP socket while watching the process: QEMU creates the socket early but only
    // greets once its main loop runs, and may exit at any point before (a bad option, an NBD server
    // that refuses the export).
    private QmpClient awaitQmp(Process p, VmLaunchSpec spec, Path logFile, long logStart, long deadline)
            throws IOException, InterruptedException {
        IOException last = null;
        while (true) {
            if (!p.isAlive()) {
                throw new QemuStartException("QEMU for VM " + spec.name() + " exited with status " + p.exitValue()
                        + " during startup", tail(logFile, logStart), last);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new QemuStartException("QEMU for VM " + spec.name() + " opened no QMP connection on "
                        + spec.qmpSocket() + " within " + startTimeout.toMillis() + " ms", tail(logFile, logStart), last);
            }
            if (Files.exists(spec.qmpSocket())) {
                Duration connectTimeout = min(qmpOptions.connectTimeout(), Duration.ofNanos(left));
                try {
                    return QmpClient.connect(spec.qmpSocket(), qmpOptions.withConnectTimeout(connectTimeout));
                } catch (IOException e) {
                    // Not listening yet, not greeting yet, or gone while we connected: the checks above
                    // decide on the next round, and the last error goes into the report.
                    last = e;
                }
            }
            // Doubles as the pause between polls, and returns at once if QEMU exits.
            p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reconnects to a QEMU started earlier (by this or a previous agent process), by pid and QMP
     * socket. Checks that the pid still is that QEMU, since a pid can be reused after an exit.
     *
     * @throws IOException if no such process runs, it is not QEMU serving that socket, or QMP fails
     */
    public QemuProcess attach(long pid, Path qmpSocket, Path logFile) throws IOException, InterruptedException {
        Objects.requireNonNull(qmpSocket, "qmpSocket");
        Objects.requireNonNull(logFile, "logFile");
        ProcessHandle handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IOException("no process " + pid + " is running"));
        ProcessHandle.Info info = handle.info();
        // After a QEMU upgrade the running binary shows as "... (deleted)", so compare the file name
        // prefix, not the path; the socket in the arguments is what ties the process to this VM.
        Optional<String> command = info.command().map(c -> Path.of(c.replace(" (deleted)", "")).getFileName().toString());
        if (command.isPresent() && !command.get().startsWith("qemu-system")) {
            throw new IOException("process " + pid + " is " + command.get() + ", not QEMU");
        }
        Optional<String[]> args = info.arguments();
        if (args.isPresent() && List.of(args.get()).stream().noneMatch(a -> a.contains(qmpSocket.toString()))) {
            throw new IOException("process " + pid + " does not serve QMP on " + qmpSocket);
        }
        QmpClient qmp = QmpClient.connect(qmpSocket, qmpOptions);
        return new QemuProcess(handle, Optional.empty(), qmp, logFile);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String tail(Path logFile, long from) {
        try (FileChannel ch = FileChannel.open(logFile, StandardOpenOption.READ)) {
            long start = Math.max(from, ch.size() - LOG_TAIL_BYTES);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, ch.size() - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                // Reads until full or the end of the file.
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
