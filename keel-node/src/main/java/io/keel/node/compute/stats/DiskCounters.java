package io.keel.node.compute.stats;

import java.util.Objects;

/** One VM disk's I/O counters since its QEMU started, as QMP {@code query-blockstats} reports them. */
public record DiskCounters(String disk, long readBytes, long writeBytes, long readOps, long writeOps) {
    public DiskCounters {
        Objects.requireNonNull(disk, "disk");
    }
}
