package io.keel.node.storage;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Volume I/O as clients see it on this node's exports: operations (their rate is the IOPS),
 * bytes and a latency histogram per kind of request.
 */
public final class IoMeters {
    /** The kinds of request a block client sends. */
    public enum Op { READ, WRITE, FLUSH, ZERO }

    private final Map<Op, Timer> latency = new EnumMap<>(Op.class);
    private final Map<Op, DistributionSummary> bytes = new EnumMap<>(Op.class);

    public IoMeters(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (Op op : Op.values()) {
            String tag = op.name().toLowerCase(java.util.Locale.ROOT);
            latency.put(op, Timer.builder("keel.volume.io")
                    .description("volume requests served by this node's exports, with their latency")
                    .tag("op", tag).publishPercentileHistogram().register(registry));
            bytes.put(op, DistributionSummary.builder("keel.volume.io.bytes")
                    .description("bytes moved by volume requests on this node's exports").baseUnit("bytes")
                    .tag("op", tag).register(registry));
        }
    }

    /** Reads and writes served since this process started, and their bytes: counters, never lower. */
    public record Totals(long readOps, long writeOps, long readBytes, long writeBytes) {}

    public Totals totals() {
        return new Totals(latency.get(Op.READ).count(), latency.get(Op.WRITE).count(),
                (long) bytes.get(Op.READ).totalAmount(), (long) bytes.get(Op.WRITE).totalAmount());
    }

    void record(Op op, long startNanos, long byteCount) {
        latency.get(op).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (byteCount > 0) {
            bytes.get(op).record(byteCount);
        }
    }
}
