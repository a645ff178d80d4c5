package io.keel.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Upload progress lines on standard error, at most one a second: percent, bytes and the average
 * rate so far, then a final line with the total. Lines rather than a redrawn one, so a log of
 * the run reads the same as the terminal.
 */
final class UploadProgress {
    private static final Duration EVERY = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final Clock clock;
    private final String what;
    private final long total;
    private final Instant started;
    private Instant lastLine;
    private Instant allSent;

    UploadProgress(PrintWriter err, Clock clock, String what, long total) {
        this.err = Objects.requireNonNull(err, "err");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.what = Objects.requireNonNull(what, "what");
        this.total = total;
        this.started = clock.instant();
        this.lastLine = started;
    }

    /** Called from the HTTP client's thread as bytes go out. */
    synchronized void sent(long bytes) {
        Instant now = clock.instant();
        if (bytes >= total && allSent == null) {
            allSent = now;
        }
        if (bytes < total && Duration.between(lastLine, now).compareTo(EVERY) >= 0) {
            lastLine = now;
            err.println(String.format(Locale.ROOT, "uploading %s: %3d%% (%s of %s) %s", what,
                    total == 0 ? 100 : bytes * 100 / total, Format.bytes(bytes), Format.bytes(total), rate(bytes, now)));
            err.flush();
        }
    }

    /** The final line, once the server has answered. */
    synchronized void done() {
        Instant now = clock.instant();
        Instant sent = allSent == null ? now : allSent;
        err.println(String.format(Locale.ROOT, "uploaded %s: %s in %.1f s (%s); checked and stored in %.1f s more",
                what, Format.bytes(total), Duration.between(started, sent).toMillis() / 1000.0, rate(total, sent),
                Duration.between(sent, now).toMillis() / 1000.0));
        err.flush();
    }

    private String rate(long bytes, Instant now) {
        long millis = Math.max(1, Duration.between(started, now).toMillis());
        return String.format(Locale.ROOT, "%.1f MiB/s", bytes / (1024.0 * 1024) / (millis / 1000.0));
    }
}
