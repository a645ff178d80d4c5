package io.keel.node.monitoring;

import io.keel.api.dto.MonitoringPointView;
import io.keel.node.s3.S3Metrics;
import io.keel.node.storage.IoMeters;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns readings of this node's counters into points: I/O as the change per second since the
 * previous reading, the rest as read. The first reading after a start only sets the baseline, since
 * the process's counters start at zero and a rate from the previous run's would be false.
 */
public final class MonitoringSampler {
    /**
     * One reading: I/O counters since start, chunk services, this node's disks, the cluster's
     * volumes, and the counters of bytes this node rebuilt and of its S3 gateway since start.
     */
    public record Reading(Instant at, IoMeters.Totals io, int chunkServicesUp, int chunkServicesTotal,
            long physicalUsedBytes, long physicalTotalBytes, long logicalUsedBytes, long logicalProvisionedBytes,
            long rebuildBytes, S3Metrics.Totals s3) {
        public Reading {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(io, "io");
            Objects.requireNonNull(s3, "s3");
        }
    }

    private Reading previous;

    /** The point for {@code r}, empty for the first reading or one not later than the previous. */
    public synchronized Optional<MonitoringPointView> next(Reading r) {
        Objects.requireNonNull(r, "reading");
        Reading prev = previous;
        if (prev != null && !r.at().isAfter(prev.at())) {
            return Optional.empty();
        }
        previous = r;
        if (prev == null) {
            return Optional.empty();
        }
        double seconds = Duration.between(prev.at(), r.at()).toNanos() / 1e9;
        IoMeters.Totals a = prev.io();
        IoMeters.Totals b = r.io();
        return Optional.of(new MonitoringPointView(Instant.ofEpochSecond(r.at().getEpochSecond()),
                rate(a.readOps(), b.readOps(), seconds), rate(a.writeOps(), b.writeOps(), seconds),
                rate(a.readBytes(), b.readBytes(), seconds), rate(a.writeBytes(), b.writeBytes(), seconds),
                r.chunkServicesUp(), r.chunkServicesTotal(), r.physicalUsedBytes(), r.physicalTotalBytes(),
                r.logicalUsedBytes(), r.logicalProvisionedBytes(), rate(prev.rebuildBytes(), r.rebuildBytes(), seconds),
                rate(prev.s3().requests(), r.s3().requests(), seconds),
                rate(prev.s3().bytesIn(), r.s3().bytesIn(), seconds),
                rate(prev.s3().bytesOut(), r.s3().bytesOut(), seconds)));
    }

    private static double rate(long before, long after, double seconds) {
        return Math.max(0, after - before) / seconds;
    }
}
