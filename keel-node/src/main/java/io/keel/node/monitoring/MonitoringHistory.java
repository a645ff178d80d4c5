package io.keel.node.monitoring;

import io.keel.api.MonitoringRange;
import io.keel.api.dto.MonitoringPointView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * This node's monitoring history (ADR 0053): its 10-second points for the last 12 hours and their
 * 5-minute averages for 7 days, in memory. A 5-minute average is made when the first point of the
 * next 5 minutes arrives, from the 10-second points, which still hold it then. Points are named by
 * the start of their step in whole epoch seconds, so every node's steps line up for summing.
 */
public final class MonitoringHistory {
    public static final Duration FINE_SPAN = Duration.ofHours(12);
    public static final Duration COARSE_SPAN = Duration.ofDays(7);
    public static final int COARSE_STEP_SECONDS = 300;

    /** What is kept, oldest first; what the history file holds. */
    public record Snapshot(List<MonitoringPointView> fine, List<MonitoringPointView> coarse) {
        public Snapshot {
            fine = List.copyOf(fine);
            coarse = List.copyOf(coarse);
        }
    }

    private final ArrayDeque<MonitoringPointView> fine = new ArrayDeque<>();
    private final ArrayDeque<MonitoringPointView> coarse = new ArrayDeque<>();

    public MonitoringHistory() {}

    /** A history that goes on from {@code snapshot}, as read back after a restart. */
    public MonitoringHistory(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        snapshot.fine().forEach(fine::addLast);
        snapshot.coarse().forEach(coarse::addLast);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(fine), List.copyOf(coarse));
    }

    /** The newest 10-second point, if any. */
    public synchronized java.util.Optional<MonitoringPointView> latest() {
        return java.util.Optional.ofNullable(fine.peekLast());
    }

    /** Adds the newest point; one not after the last (a clock stepped back) is dropped. */
    public synchronized void add(MonitoringPointView p) {
        Objects.requireNonNull(p, "point");
        MonitoringPointView last = fine.peekLast();
        if (last != null && !p.t().isAfter(last.t())) {
            return;
        }
        if (last != null) {
            long closed = floor(last.t(), COARSE_STEP_SECONDS);
            if (floor(p.t(), COARSE_STEP_SECONDS) > closed
                    && (coarse.isEmpty() || coarse.peekLast().t().getEpochSecond() < closed)) {
                List<MonitoringPointView> in = fine.stream()
                        .filter(f -> floor(f.t(), COARSE_STEP_SECONDS) == closed).toList();
                coarse.addLast(average(Instant.ofEpochSecond(closed), in));
            }
        }
        fine.addLast(p);
        Instant now = p.t();
        while (!fine.isEmpty() && !fine.peekFirst().t().isAfter(now.minus(FINE_SPAN))) {
            fine.removeFirst();
        }
        while (!coarse.isEmpty() && !coarse.peekFirst().t().isAfter(now.minus(COARSE_SPAN))) {
            coarse.removeFirst();
        }
    }

    /** The points of {@code range} up to {@code now}, averaged to its step, oldest first. */
    public synchronized List<MonitoringPointView> points(MonitoringRange range, Instant now) {
        Objects.requireNonNull(range, "range");
        Instant from = now.minus(range.span());
        List<MonitoringPointView> source = new ArrayList<>();
        if (range.stepSeconds() >= COARSE_STEP_SECONDS) {
            coarse.stream().filter(c -> c.t().isAfter(from) && !c.t().isAfter(now)).forEach(source::add);
            // The 5 minutes under way (and any not yet averaged) come from the 10-second points.
            long done = coarse.isEmpty() ? Long.MIN_VALUE : coarse.peekLast().t().getEpochSecond();
            fine.stream().filter(f -> floor(f.t(), COARSE_STEP_SECONDS) > done && f.t().isAfter(from)
                    && !f.t().isAfter(now)).forEach(source::add);
        } else {
            fine.stream().filter(f -> f.t().isAfter(from) && !f.t().isAfter(now)).forEach(source::add);
        }
        return stepped(source, range.stepSeconds());
    }

    /** {@code points} (oldest first) averaged into steps of {@code stepSeconds}. */
    static List<MonitoringPointView> stepped(List<MonitoringPointView> points, int stepSeconds) {
        Map<Long, List<MonitoringPointView>> byStep = new TreeMap<>();
        for (MonitoringPointView p : points) {
            byStep.computeIfAbsent(floor(p.t(), stepSeconds), k -> new ArrayList<>()).add(p);
        }
        List<MonitoringPointView> out = new ArrayList<>(byStep.size());
        byStep.forEach((start, in) -> out.add(average(Instant.ofEpochSecond(start), in)));
        return out;
    }

    /**
     * One point for {@code in}: rates and space averaged, chunk services the fewest up of the most
     * there were, so a service down for part of the step shows.
     */
    static MonitoringPointView average(Instant t, List<MonitoringPointView> in) {
        int n = in.size();
        double readOps = 0;
        double writeOps = 0;
        double readBytes = 0;
        double writeBytes = 0;
        int up = Integer.MAX_VALUE;
        int total = 0;
        double physUsed = 0;
        double physTotal = 0;
        double logUsed = 0;
        double logProvisioned = 0;
        double rebuild = 0;
        double s3Requests = 0;
        double s3In = 0;
        double s3Out = 0;
        for (MonitoringPointView p : in) {
            readOps += p.readOps();
            writeOps += p.writeOps();
            readBytes += p.readBytes();
            writeBytes += p.writeBytes();
            up = Math.min(up, p.chunkServicesUp());
            total = Math.max(total, p.chunkServicesTotal());
            physUsed += p.physicalUsedBytes();
            physTotal += p.physicalTotalBytes();
            logUsed += p.logicalUsedBytes();
            logProvisioned += p.logicalProvisionedBytes();
            rebuild += p.rebuildBytes();
            s3Requests += p.s3Requests();
            s3In += p.s3BytesIn();
            s3Out += p.s3BytesOut();
        }
        return new MonitoringPointView(t, readOps / n, writeOps / n, readBytes / n, writeBytes / n,
                n == 0 ? 0 : up, total, Math.round(physUsed / n), Math.round(physTotal / n), Math.round(logUsed / n),
                Math.round(logProvisioned / n), rebuild / n, s3Requests / n, s3In / n, s3Out / n);
    }

    static long floor(Instant t, int stepSeconds) {
        return Math.floorDiv(t.getEpochSecond(), stepSeconds) * stepSeconds;
    }
}
