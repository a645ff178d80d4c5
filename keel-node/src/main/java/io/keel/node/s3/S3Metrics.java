package io.keel.node.s3;

import io.keel.s3.http.S3Observer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's request metrics (issue 8): requests and latency histograms by operation and
 * status ({@code keel_s3_requests_seconds}), and bytes in and out by operation. Their sums over
 * every operation are kept too, for the monitoring history (ADR 0053), which would otherwise have
 * to add up every timer and counter of the registry each time it samples.
 */
public final class S3Metrics implements S3Observer {
    private final MeterRegistry registry;
    // Micrometer's own lookup builds tags and ids on every call, a measurable share of a small
    // request's CPU; operations and statuses are few, so the meters are kept here once found.
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesOut = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder totalIn = new LongAdder();
    private final LongAdder totalOut = new LongAdder();

    /** Requests answered and body bytes received and sent since this process started. */
    public record Totals(long requests, long bytesIn, long bytesOut) {
        public static final Totals ZERO = new Totals(0, 0, 0);
    }

    public S3Metrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void completed(String operation, int status, long bytesIn, long bytesOut, long nanos) {
        requests.increment();
        totalIn.add(Math.max(0, bytesIn));
        totalOut.add(Math.max(0, bytesOut));
        timers.computeIfAbsent(operation + ' ' + status, k -> Timer.builder("keel.s3.requests")
                .description("S3 requests answered, by operation and HTTP status")
                .tag("operation", operation).tag("status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (bytesIn > 0) {
            this.bytesIn.computeIfAbsent(operation, k -> Counter.builder("keel.s3.bytes.in").baseUnit("bytes")
                    .description("request body bytes received").tag("operation", operation).register(registry))
                    .increment(bytesIn);
        }
        if (bytesOut > 0) {
            this.bytesOut.computeIfAbsent(operation, k -> Counter.builder("keel.s3.bytes.out").baseUnit("bytes")
                    .description("response body bytes sent").tag("operation", operation).register(registry))
                    .increment(bytesOut);
        }
    }

    public Totals totals() {
        return new Totals(requests.sum(), totalIn.sum(), totalOut.sum());
    }
}
