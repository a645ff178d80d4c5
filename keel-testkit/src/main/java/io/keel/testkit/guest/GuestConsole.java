package io.keel.testkit.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Everything QEMU prints (the guest's serial console and QEMU's own errors), split into lines, kept
 * in memory for waiting and written to a log file for the humans reading a failed build.
 */
final class GuestConsole {
    private static final int TAIL_LINES = 30;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> lines = new ArrayList<>();
    private final Path logFile;
    private final Thread reader;
    private boolean ended;

    private GuestConsole(Path logFile, InputStream in, String threadName) throws IOException {
        this.logFile = logFile;
        OutputStream log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.reader = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> pump(in, log));
    }

    static GuestConsole start(Path logFile, InputStream in, String threadName) throws IOException {
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(in, "in");
        GuestConsole c = new GuestConsole(logFile, in, threadName);
        c.reader.start();
        return c;
    }

    Path logFile() {
        return logFile;
    }

    private void pump(InputStream in, OutputStream log) {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        try (in; log) {
            int n;
            while ((n = in.read(buf)) > 0) {
                // The raw bytes go to the log as they come, so a hung guest's last words are on disk.
                log.write(buf, 0, n);
                log.flush();
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        add(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else if (buf[i] != '\r') {
                        partial.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            add("[console: " + e.getMessage() + "]");
        } finally {
            if (partial.size() > 0) {
                add(partial.toString(StandardCharsets.UTF_8));
            }
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void add(String line) {
        lock.lock();
        try {
            lines.add(line);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many lines have arrived so far: a mark for {@link #await(int, Predicate, Duration)}. */
    int size() {
        lock.lock();
        try {
            return lines.size();
        } finally {
            lock.unlock();
        }
    }

    List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The index of the first line at or after {@code from} that matches, waiting up to {@code timeout}
     * for it. -1 when QEMU's output ended (the guest is gone) without one; -2 on timeout.
     */
    int await(int from, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int next = from;
            while (true) {
                for (; next < lines.size(); next++) {
                    if (match.test(lines.get(next))) {
                        return next;
                    }
                }
                if (ended) {
                    return -1;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -2;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the reader to see the end of QEMU's output, so the log file is complete. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout);
    }

    /** The last lines, for error messages. */
    String tail() {
        List<String> all = lines();
        List<String> last = all.subList(Math.max(0, all.size() - TAIL_LINES), all.size());
        return "--- last " + last.size() + " console lines (full log: " + logFile + ") ---\n" + String.join("\n", last);
    }
}
