package io.keel.node.metrics;

import io.keel.node.storage.DiskServices;
import io.keel.storage.chunk.ChunkStoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Per-disk figures of this node's chunk services: space, I/O counts and bytes, checksum errors
 * and scrub progress. Meters are registered when a disk's service first appears and read the
 * service's live counters on every scrape.
 */
public final class DiskMetrics {
    private final MeterRegistry registry;
    private final DiskServices disks;
    private final Set<String> registered = new HashSet<>();

    public DiskMetrics(MeterRegistry registry, DiskServices disks) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.disks = Objects.requireNonNull(disks, "disks");
    }

    /** Called once per agent tick: registers meters of services started since. */
    public synchronized void refresh() {
        for (DiskServices.Running r : disks.running()) {
            if (registered.add(r.diskId())) {
                register(r.diskId());
            }
        }
    }

    private void register(String disk) {
        Tags tags = Tags.of("disk", disk);
        gauge("keel.disk.free.bytes", "space left for chunk data (free space minus the reserve)", tags, disk,
                r -> r.store().freeBytes());
        gauge("keel.disk.used.bytes", "bytes of chunk data blocks on the disk", tags, disk, r -> r.store().usedBytes());
        gauge("keel.disk.scrub.passes", "completed scrub passes since the service started", tags, disk,
                r -> r.scrubber().passesCompleted());
        counter("keel.disk.reads", "chunk reads served", tags, disk, ChunkStoreStats::reads);
        counter("keel.disk.read.bytes", "bytes read from chunks", tags, disk, ChunkStoreStats::bytesRead);
        counter("keel.disk.writes", "chunk writes with data", tags, disk, ChunkStoreStats::writes);
        counter("keel.disk.written.bytes", "bytes written to chunks", tags, disk, ChunkStoreStats::bytesWritten);
        counter("keel.disk.checksum.errors", "blocks that failed their CRC32C (reads, writes, scrubs)", tags, disk,
                ChunkStoreStats::checksumErrors);
        counter("keel.disk.scrub.errors", "bad blocks found by scrubbing", tags, disk, ChunkStoreStats::scrubErrors);
    }

    private void gauge(String name, String help, Tags tags, String disk, ToDoubleFunction<DiskServices.Running> f) {
        Gauge.builder(name, disks, d -> find(d, disk).map(f::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(registry);
    }

    private void counter(String name, String help, Tags tags, String disk, ToDoubleFunction<ChunkStoreStats> f) {
        FunctionCounter.builder(name, disks, d -> find(d, disk).map(r -> f.applyAsDouble(r.store().stats())).orElse(0.0))
                .description(help).tags(tags).register(registry);
    }

    private static Optional<DiskServices.Running> find(DiskServices d, String disk) {
        return d.running().stream().filter(r -> r.diskId().equals(disk)).findFirst();
    }
}
