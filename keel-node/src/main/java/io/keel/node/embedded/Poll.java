package io.keel.node.embedded;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, checking every {@code step}: no blind sleeps. */
public final class Poll {
    private Poll() {}

    public static void until(Duration timeout, String what, BooleanSupplier condition) throws TimeoutException {
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimeoutException("interrupted waiting for " + what);
            }
        }
    }
}
