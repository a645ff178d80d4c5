package io.keel.node.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code qemu-img} on uploaded files. Every run has a deadline and its output is capped, since
 * the input is untrusted: a crafted file must not hang a node's request thread or fill its memory.
 * Messages quote qemu-img's own reason with the node's file path replaced by "the file", so an
 * administrator sees why without learning the node's directory layout.
 */
public final class QemuImg {
    private static final int MAX_OUTPUT = 256 << 10;
    private static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(30);

    private final String executable;
    private final Duration probeTimeout;
    private final Duration checkTimeout;
    private final Duration convertTimeout;

    public QemuImg(String executable, Duration probeTimeout, Duration checkTimeout, Duration convertTimeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
        this.checkTimeout = Objects.requireNonNull(checkTimeout, "checkTimeout");
        this.convertTimeout = Objects.requireNonNull(convertTimeout, "convertTimeout");
    }

    public static QemuImg standard() {
        return new QemuImg("qemu-img", Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofHours(6));
    }

    /** The file's format as probed, never trusting a declared one: the caller compares the two. */
    public QemuImgInfo info(Path file) throws ImageFileException {
        Result r = run(List.of(executable, "info", "--output=json", file.toString()), probeTimeout, file, null);
        if (r.exit() != 0) {
            throw ImageFileException.invalid("qemu-img cannot read the file: " + r.reason(file));
        }
        try {
            return QemuImgInfo.parse(r.out());
        } catch (IllegalArgumentException e) {
            throw ImageFileException.failed(e.getMessage());
        }
    }

    /** Exit 0 is clean, 3 leaks only; 1 and 2 are a file qemu-img could not check or found corrupt. */
    public QemuImgCheck check(Path file, String format) throws ImageFileException {
        Result r = run(List.of(executable, "check", "--output=json", "-f", format, file.toString()), checkTimeout,
                file, null);
        QemuImgCheck check;
        try {
            check = QemuImgCheck.parse(r.out());
        } catch (IllegalArgumentException e) {
            throw ImageFileException.invalid("qemu-img check cannot check the file: " + r.reason(file));
        }
        if (r.exit() == 1 || r.exit() == 2 || !check.clean()) {
            throw ImageFileException.invalid("the " + format + " file is corrupt: qemu-img check found "
                    + check.corruptions() + " corruption(s) and " + check.checkErrors() + " error(s)"
                    + (r.err().isBlank() ? "" : " (" + r.reason(file) + ")"));
        }
        return check;
    }

    /**
     * Writes the file's data as raw bytes into {@code target} (an {@code nbd://} URL of an existing,
     * empty volume at least as large). {@code keepAlive} runs every 30 s while it works, so the
     * image's record shows the upload is alive.
     */
    public void convertToRaw(Path file, String format, String target, Runnable keepAlive) throws ImageFileException {
        // -n: the volume exists; --target-is-zero: it is new and thin, so zeros need not be written.
        Result r = run(List.of(executable, "convert", "-f", format, "-O", "raw", "-n", "--target-is-zero",
                file.toString(), target), convertTimeout, file, keepAlive);
        if (r.exit() != 0) {
            throw ImageFileException.failed("qemu-img convert failed: " + r.reason(file));
        }
    }

    record Result(int exit, String out, String err) {
        /** qemu-img's first lines of complaint, without the node's path. */
        String reason(Path file) {
            String text = (err.isBlank() ? out : err).strip().replace(file.toString(), "the file")
                    .replace("qemu-img: ", "");
            List<String> lines = text.lines().limit(3).toList();
            String joined = String.join("; ", lines);
            return joined.isEmpty() ? "exit code " + exit : joined;
        }
    }

    private Result run(List<String> command, Duration timeout, Path file, Runnable keepAlive)
            throws ImageFileException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw ImageFileException.failed("cannot run qemu-img (is it installed on this node?): " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!p.waitFor(Math.min(KEEP_ALIVE_EVERY.toMillis(), remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - deadline >= 0) {
                    p.destroyForcibly();
                    throw ImageFileException.failed("qemu-img " + command.get(1) + " took longer than " + timeout
                            + " and was stopped");
                }
                if (keepAlive != null) {
                    keepAlive.run();
                }
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw ImageFileException.failed("interrupted while qemu-img " + command.get(1) + " ran");
        } catch (ExecutionException e) {
            throw ImageFileException.failed("cannot read qemu-img's output: " + e.getCause());
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Reads a stream to its end on a virtual thread, keeping at most the first 256 KiB. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().name("qemu-img-output").start(() -> {
            try (in) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    kept.write(buffer, 0, Math.min(n, Math.max(0, MAX_OUTPUT - kept.size())));
                }
                f.complete(kept.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }
}
