package io.keel.compute.qemu;

import java.io.IOException;
import java.util.Objects;

/** QEMU did not come up: it could not be started, exited early, or never opened QMP. Carries its log's tail. */
public final class QemuStartException extends IOException {
    private final String logTail;

    public QemuStartException(String message, String logTail, Throwable cause) {
        super(message + (Objects.requireNonNull(logTail, "logTail").isEmpty() ? "" : "; QEMU's log ends with:\n" + logTail), cause);
        this.logTail = logTail;
    }

    /** The end of what QEMU wrote to its log during this start (empty if nothing). */
    public String logTail() {
        return logTail;
    }
}
