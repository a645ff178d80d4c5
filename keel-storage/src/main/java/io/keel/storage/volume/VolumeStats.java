package io.keel.storage.volume;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link VolumeClient}, summed over its volumes, for the node's metrics. keel-storage
 * stays free of a metrics library; the node reads {@link #snapshot()} and exports it.
 */
public final class VolumeStats {
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder checksumErrorsRepaired = new LongAdder();
    private final LongAdder replicasDropped = new LongAdder();
    private final LongAdder bytesRebuilt = new LongAdder();

    /** The counters at one moment. */
    public record Snapshot(long reads, long writes, long checksumErrorsRepaired, long replicasDropped,
            long bytesRebuilt) {}

    public Snapshot snapshot() {
        return new Snapshot(reads.sum(), writes.sum(), checksumErrorsRepaired.sum(), replicasDropped.sum(),
                bytesRebuilt.sum());
    }

    public long reads() {
        return reads.sum();
    }

    public long writes() {
        return writes.sum();
    }

    public long checksumErrorsRepaired() {
        return checksumErrorsRepaired.sum();
    }

    public long replicasDropped() {
        return replicasDropped.sum();
    }

    public long bytesRebuilt() {
        return bytesRebuilt.sum();
    }

    void read() {
        reads.increment();
    }

    void wrote() {
        writes.increment();
    }

    void checksumErrorRepaired() {
        checksumErrorsRepaired.increment();
    }

    void replicaDropped() {
        replicasDropped.increment();
    }

    void rebuilt(long bytes) {
        bytesRebuilt.add(bytes);
    }
}
