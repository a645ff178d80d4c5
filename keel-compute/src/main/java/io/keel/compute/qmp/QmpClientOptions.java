package io.keel.compute.qmp;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link QmpClient} connects and waits.
 *
 * @param connectTimeout for connecting, the greeting and capability negotiation together
 * @param commandTimeout for each typed helper's reply (see {@link QmpClient#execute} for others)
 * @param maxLineBytes   the longest line accepted from QEMU
 * @param eventLogSize   how many recent events {@link QmpClient#awaitEvent} can look back over
 * @param listener       called with every event, in order, on the connection's reader thread;
 *                       it must not block, or replies behind the event wait for it
 */
public record QmpClientOptions(Duration connectTimeout, Duration commandTimeout, int maxLineBytes, int eventLogSize,
                               Consumer<QmpEvent> listener) {
    public QmpClientOptions {
        positive(connectTimeout, "connectTimeout");
        positive(commandTimeout, "commandTimeout");
        if (maxLineBytes < 64) {
            throw new IllegalArgumentException("maxLineBytes must be at least 64: " + maxLineBytes);
        }
        if (eventLogSize < 1) {
            throw new IllegalArgumentException("eventLogSize must be positive: " + eventLogSize);
        }
        Objects.requireNonNull(listener, "listener");
    }

    public static QmpClientOptions defaults() {
        return new QmpClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), QmpCodec.DEFAULT_MAX_LINE_BYTES,
                1024, e -> { });
    }

    public QmpClientOptions withConnectTimeout(Duration d) {
        return new QmpClientOptions(d, commandTimeout, maxLineBytes, eventLogSize, listener);
    }

    public QmpClientOptions withCommandTimeout(Duration d) {
        return new QmpClientOptions(connectTimeout, d, maxLineBytes, eventLogSize, listener);
    }

    public QmpClientOptions withMaxLineBytes(int n) {
        return new QmpClientOptions(connectTimeout, commandTimeout, n, eventLogSize, listener);
    }

    public QmpClientOptions withListener(Consumer<QmpEvent> l) {
        return new QmpClientOptions(connectTimeout, commandTimeout, maxLineBytes, eventLogSize, l);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
