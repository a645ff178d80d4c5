package io.keel.testkit.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Linux guest under QEMU (TCG) for tests that need a kernel block client: the Debian cloud
 * kernel and the busybox initramfs from {@code scripts/test-guest.sh}, driven line by line over its
 * serial console. See docs/testing-guest.md for the command protocol.
 *
 * <p>One test thread drives a guest; {@link #command} calls are serialised because the guest runs
 * one command at a time.
 */
public final class TestGuest implements AutoCloseable {
    public static final Pattern READY = Pattern.compile("KEEL-GUEST-READY");
    /**
     * The kernel command line of a direct boot. The boot disk's syslinux.cfg (scripts/test-guest.sh)
     * repeats it, so the guest behaves the same however it boots.
     */
    public static final String KERNEL_ARGS = "console=ttyS0 panic=-1 quiet";
    private static final Pattern FAILED = Pattern.compile("KEEL-GUEST-FAIL.*");
    private static final String OK = "KEEL-OK";
    private static final String ERR = "KEEL-ERR";
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Duration POWEROFF_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final GuestConsole console;
    private final OutputStream stdin;
    private final Path qmpSocket;
    private final Path qmpTempDir;
    private final Object commandLock = new Object();
    private final long startNanos;
    private final Thread reaper;
    private volatile Duration bootTime;

    private TestGuest(Process process, GuestConsole console, Path qmpSocket, Path qmpTempDir, long startNanos) {
        this.process = process;
        // QEMU does not exit when its stdin closes, so a test JVM that exits without closing its
        // guests would leave them running; the hook covers every exit except SIGKILL.
        this.reaper = Thread.ofPlatform().unstarted(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        this.console = console;
        this.stdin = process.getOutputStream();
        this.qmpSocket = qmpSocket;
        this.qmpTempDir = qmpTempDir;
        this.startNanos = startNanos;
    }

    /** Boots the guest found by {@link GuestImage#locate()}; see {@link #boot(GuestImage, GuestOptions, Path)}. */
    public static TestGuest boot(GuestOptions options, Path dir) throws IOException, InterruptedException {
        return boot(GuestImage.locate(), options, dir);
    }

    /**
     * Starts QEMU and waits until the guest has loaded its drivers and reads commands. The console
     * log and QMP socket go in {@code dir}. Throws, with the console tail, when it does not get there.
     * When {@code options} has a boot drive, the firmware boots it and {@code image}'s kernel is not used.
     */
    public static TestGuest boot(GuestImage image, GuestOptions options, Path dir) throws IOException, InterruptedException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        // Unix socket paths are limited to 108 bytes; JUnit temp dirs can be deeper than that.
        Path qmp = dir.toAbsolutePath().resolve(options.name() + ".qmp");
        Path qmpTemp = null;
        if (qmp.toString().length() > 100) {
            qmpTemp = Files.createTempDirectory("keel-qmp");
            qmp = qmpTemp.resolve(options.name() + ".qmp");
        }
        List<String> cmd = command(image, options, qmp);
        Files.writeString(dir.resolve(options.name() + ".cmdline"), String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteQuietly(qmpTemp);
            throw new IOException("cannot start qemu-system-x86_64 (install Debian's qemu-system-x86, or run scripts/test): "
                    + e.getMessage(), e);
        }
        GuestConsole console;
        try {
            console = GuestConsole.start(dir.resolve(options.name() + "-console.log"), p.getInputStream(),
                    "guest-console-" + options.name());
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            deleteQuietly(qmpTemp);
            throw e;
        }
        TestGuest guest = new TestGuest(p, console, qmp, qmpTemp, start);
        try {
            guest.awaitReady(options.bootTimeout());
        } catch (RuntimeException | InterruptedException e) {
            guest.kill();
            throw e;
        }
        return guest;
    }

    static List<String> command(GuestImage image, GuestOptions options, Path qmp) {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64",
                // TCG only: this machine kind's /dev/kvm is a nested software hypervisor guests hang under.
                "-machine", "q35,accel=tcg",
                "-m", Integer.toString(options.memoryMiB()),
                "-nographic", "-serial", "stdio", "-monitor", "none",
                // No default NIC: it would only add an iPXE option ROM scan to every boot.
                "-nic", "none",
                "-no-reboot",
                "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        if (options.bootsFromDisk()) {
            // First on the command line, so it gets the first virtio slot: SeaBIOS's first disk and /dev/vda.
            cmd.addAll(List.of("-drive", options.bootDrive()));
        } else {
            cmd.addAll(List.of("-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(), "-append", KERNEL_ARGS));
        }
        for (String drive : options.drives()) {
            cmd.add("-drive");
            cmd.add(drive);
        }
        cmd.addAll(options.extraArgs());
        return cmd;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        int at = console.await(0, l -> READY.matcher(l).find() || FAILED.matcher(l).find(), timeout);
        if (at >= 0 && FAILED.matcher(console.lines().get(at)).find()) {
            throw new GuestException("the guest failed to start: " + console.lines().get(at) + "\n" + console.tail());
        }
        if (at < 0) {
            throw new GuestException((at == -1 ? "QEMU exited before the guest was ready" : "the guest was not ready after "
                    + timeout.toSeconds() + " s") + "\n" + console.tail());
        }
        bootTime = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** From starting QEMU to the guest printing KEEL-GUEST-READY. */
    public Duration bootTime() {
        return bootTime;
    }

    public Path consoleLog() {
        return console.logFile();
    }

    /** QEMU's QMP control socket (a unix socket), for tests that hot-plug, migrate or query. */
    public Path qmpSocket() {
        return qmpSocket;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every console line since QEMU started. */
    public List<String> consoleLines() {
        return console.lines();
    }

    /**
     * The first console line since QEMU started that matches {@code pattern} (by {@code find}), waiting
     * up to {@code timeout}; throws with the console tail on timeout or when the guest is gone.
     */
    public String awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(timeout, "timeout");
        int at = console.await(0, l -> pattern.matcher(l).find(), timeout);
        if (at < 0) {
            throw new GuestException((at == -1 ? "the guest is gone" : "timed out after " + timeout.toSeconds() + " s")
                    + " waiting for a console line matching " + pattern + "\n" + console.tail());
        }
        return console.lines().get(at);
    }

    /**
     * Sends one command line and returns the lines it printed before KEEL-OK. Throws, with the console
     * tail, on KEEL-ERR, on timeout or when the guest is gone.
     */
    public List<String> command(String line, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(timeout, "timeout");
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a command is one line: " + line);
        }
        synchronized (commandLock) {
            int mark = console.size();
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new GuestException("cannot send '" + line + "' to the guest: " + e.getMessage() + "\n" + console.tail(), e);
            }
            int end = console.await(mark, l -> l.equals(OK) || l.startsWith(ERR), timeout);
            if (end < 0) {
                throw new GuestException((end == -1 ? "the guest is gone" : "timed out after " + timeout.toSeconds() + " s")
                        + " running '" + line + "'\n" + console.tail());
            }
            List<String> all = console.lines();
            if (all.get(end).startsWith(ERR)) {
                throw new GuestException("'" + line + "' failed in the guest: " + all.get(end) + "\n" + console.tail());
            }
            return List.copyOf(all.subList(mark, end));
        }
    }

    /** The size in bytes of {@code /dev/DEV}, for example {@code vda}. */
    public long blockSize(String dev) throws InterruptedException {
        return Long.parseLong(value(command("blk " + word(dev), Duration.ofSeconds(30)), "BLK SIZE "));
    }

    /**
     * Writes {@link GuestPattern#bytes(String, int)} at {@code offset} of {@code /dev/vda}, fsynced, and
     * returns its SHA-256 as the guest computed it. A guest booted from a disk has that disk as vda:
     * name its data disk with {@link #writePattern(String, long, long, String, Duration)}.
     */
    public String writePattern(long offset, long count, String seed, Duration timeout) throws InterruptedException {
        return writePattern("vda", offset, count, seed, timeout);
    }

    /** {@link #writePattern(long, long, String, Duration)} on {@code /dev/DEV}, for example {@code vdb}. */
    public String writePattern(String dev, long offset, long count, String seed, Duration timeout) throws InterruptedException {
        return value(command("write " + offset + " " + count + " " + word(seed) + " " + word(dev), timeout), "WRITE SHA256 ");
    }

    /** The SHA-256 of {@code count} bytes at {@code offset} of {@code /dev/vda}, read from the device. */
    public String readChecksum(long offset, long count, Duration timeout) throws InterruptedException {
        return readChecksum("vda", offset, count, timeout);
    }

    /** {@link #readChecksum(long, long, Duration)} on {@code /dev/DEV}, for example {@code vdb}. */
    public String readChecksum(String dev, long offset, long count, Duration timeout) throws InterruptedException {
        return value(command("read " + offset + " " + count + " " + word(dev), timeout), "READ SHA256 ");
    }

    public void sync(Duration timeout) throws InterruptedException {
        command("sync", timeout);
    }

    private String value(List<String> result, String prefix) {
        for (String l : result) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).strip();
            }
        }
        throw new GuestException("no '" + prefix.strip() + "' line in the guest's answer " + result + "\n" + console.tail());
    }

    // The guest splits command lines on blanks without quoting, so arguments must be single plain words.
    private static String word(String s) {
        Objects.requireNonNull(s, "argument");
        Matcher m = WORD.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("guest command arguments must match " + WORD + ": '" + s + "'");
        }
        return s;
    }

    /** Asks the guest to power off and waits for QEMU to exit; true if it did within {@code timeout}. */
    public boolean poweroff(Duration timeout) throws InterruptedException {
        if (process.isAlive()) {
            try {
                command("poweroff", timeout);
            } catch (GuestException e) {
                // Already going down, or hung: the wait below decides.
            }
        }
        boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (exited) {
            console.awaitEnd(Duration.ofSeconds(5));
        }
        return exited;
    }

    /** SIGKILL: the guest gets no chance to flush anything, like pulling the power cord. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            console.awaitEnd(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(qmpTempDir);
        dropReaper();
    }

    private void dropReaper() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is about to kill QEMU anyway.
        }
    }

    /** QEMU's exit code once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Powers off, and kills the guest if it has not gone within a few seconds. */
    @Override
    public void close() {
        try {
            if (!poweroff(POWEROFF_GRACE)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        deleteQuietly(qmpTempDir);
        dropReaper();
    }

    private static void deleteQuietly(Path tempDir) {
        if (tempDir == null) {
            return;
        }
        try (var files = Files.list(tempDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(tempDir);
        } catch (IOException e) {
            // A leftover empty directory in /tmp harms nothing.
        }
    }

    @Override
    public String toString() {
        return "TestGuest[pid " + process.pid() + ", log " + console.logFile() + "]";
    }
}
