package io.keel.node.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the host ({@code ip}, {@code arping}) and says how it went: the seam the
 * virtual IP's unit tests fake. {@link #run} throws {@link IOException} only when the program
 * cannot be started at all (not installed), so callers can tell that from a refusal.
 */
public interface HostCommands {
    /** How a command ended: its exit status and what it printed (stdout and stderr together). */
    record Result(int exit, String output) {
        public Result {
            Objects.requireNonNull(output, "output");
        }

        public boolean ok() {
            return exit == 0;
        }
    }

    Result run(List<String> command) throws IOException;

    /** The real host: each command a child process, killed when it overruns {@code timeout}. */
    static HostCommands processes(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return command -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", command) + ": no answer within " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        };
    }
}
