package io.keel.node.metrics;

import io.keel.meta.cluster.ChunkRecord;
import io.keel.meta.cluster.ChunkServiceInfo;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.ReplicaAudit;
import io.keel.meta.cluster.StoragePolicy;
import io.keel.meta.cluster.Volume;
import io.keel.node.storage.ChunkCollector;
import io.keel.node.storage.Healer;
import io.keel.storage.volume.VolumeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The storage cluster as a whole, worked out from the metadata on every agent tick: space per
 * tier (capacity, free, logical and physical use), chunks by health, and this node's share of
 * rebuilding and client-side volume I/O. Every node exports the cluster figures; dashboards take
 * any one of them (max by tier).
 */
public final class StorageMetrics {
    static final int TIERS = 4;

    /** Figures of one refresh; arrays are indexed by tier. */
    record Figures(double[] capacity, double[] free, double[] logical, double[] physical, long healthyChunks,
            long degradedChunks, long unavailableChunks, long volumes, long degradedVolumes) {
        static Figures empty() {
            return new Figures(new double[TIERS], new double[TIERS], new double[TIERS], new double[TIERS], 0, 0, 0, 0,
                    0);
        }
    }

    /**
     * Chunks by health as the metadata shows them: healthy with every copy the policy asks for on
     * live nodes, degraded with fewer but at least one, unavailable with none; and volumes, those
     * with a chunk that is not healthy counted as degraded.
     */
    public record ChunkHealth(long healthy, long degraded, long unavailable, long volumes, long degradedVolumes) {}

    private final AtomicReference<Figures> figures = new AtomicReference<>(Figures.empty());

    public StorageMetrics(MeterRegistry registry, VolumeStats volumes, Healer healer, ChunkCollector collector,
            Supplier<Optional<ReplicaAudit.Report>> audit) {
        Objects.requireNonNull(audit, "audit");
        // Gauges hold their object weakly; nothing else holds this supplier.
        Gauge.builder("keel.audit.replicas.checked", audit, a -> a.get().map(r -> (double) r.replicasChecked())
                .orElse(Double.NaN)).description("replicas the last audit asked their service about (leader only)")
                .strongReference(true).register(registry);
        for (ReplicaAudit.Finding.Kind kind : ReplicaAudit.Finding.Kind.values()) {
            Gauge.builder("keel.audit.findings", audit, a -> a.get().map(r -> (double) r.count(kind))
                    .orElse(Double.NaN)).description("replicas the last audit found missing, behind or ahead of"
                    + " their map's version").tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .strongReference(true).register(registry);
        }
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(healer, "healer");
        for (int t = 0; t < TIERS; t++) {
            int tier = t;
            Tags tags = Tags.of("tier", Integer.toString(t));
            gauge(registry, "keel.storage.capacity.bytes", "raw space of the tier's chunk services", tags,
                    f -> f.capacity()[tier]);
            gauge(registry, "keel.storage.free.bytes", "raw space left on the tier's chunk services", tags,
                    f -> f.free()[tier]);
            gauge(registry, "keel.storage.logical.bytes", "allocated volume space on the tier (before replication)",
                    tags, f -> f.logical()[tier]);
            gauge(registry, "keel.storage.physical.bytes", "raw space volume chunks take on the tier, all replicas",
                    tags, f -> f.physical()[tier]);
        }
        gauge(registry, "keel.storage.chunks", "chunks by health", Tags.of("health", "healthy"),
                f -> f.healthyChunks());
        gauge(registry, "keel.storage.chunks", "chunks by health", Tags.of("health", "degraded"),
                f -> f.degradedChunks());
        gauge(registry, "keel.storage.chunks", "chunks by health", Tags.of("health", "unavailable"),
                f -> f.unavailableChunks());
        gauge(registry, "keel.storage.volumes", "volumes", Tags.empty(), f -> f.volumes());
        gauge(registry, "keel.storage.volumes.degraded", "volumes with a degraded or unavailable chunk", Tags.empty(),
                f -> f.degradedVolumes());
        Gauge.builder("keel.rebuild.chunks.pending", healer, Healer::pendingChunks)
                .description("chunks this node found needing repair in its last round").register(registry);
        FunctionCounter.builder("keel.rebuild.chunks", healer, Healer::chunksRepaired)
                .description("chunks this node has repaired").register(registry);
        FunctionCounter.builder("keel.rebalance.chunks", healer, Healer::chunksMoved)
                .description("chunk replicas this node moved to even out services").register(registry);
        FunctionCounter.builder("keel.chunks.collected", Objects.requireNonNull(collector, "collector"),
                ChunkCollector::deleted)
                .description("chunk copies on this node's disks deleted because no volume references them")
                .register(registry);
        FunctionCounter.builder("keel.rebuild.bytes", volumes, VolumeStats::bytesRebuilt).baseUnit("bytes")
                .description("bytes copied to rebuild replicas (rate() is the rebuild rate)").register(registry);
        FunctionCounter.builder("keel.volume.checksum.repairs", volumes, VolumeStats::checksumErrorsRepaired)
                .description("replica blocks rewritten after a checksum mismatch on read").register(registry);
        FunctionCounter.builder("keel.volume.replicas.dropped", volumes, VolumeStats::replicasDropped)
                .description("replicas dropped from chunk maps after a failed write").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, Tags tags, ToDoubleFunction<Figures> f) {
        Gauge.builder(name, figures, r -> f.applyAsDouble(r.get())).description(help).tags(tags).register(registry);
    }

    /** Recomputes the cluster figures; {@code nodeDown} tells which nodes are not heard from. */
    public void refresh(ClusterState state, Predicate<String> nodeDown) {
        Figures f = Figures.empty();
        for (ChunkServiceInfo s : state.chunkServices()) {
            Integer tier = state.node(s.nodeId()).map(n -> n.roleOf(s.diskId())).map(DiskRole::tier).orElse(null);
            if (tier != null && tier >= 0 && tier < TIERS) {
                f.capacity()[tier] += s.capacityBytes();
                f.free()[tier] += s.freeBytes();
            }
        }
        for (Volume v : state.volumes()) {
            int tier = state.policy(v.policy()).map(StoragePolicy::tier).orElse(0);
            for (ChunkRecord r : state.chunks(v.id())) {
                long bytes = Math.min(v.chunkSize(), v.sizeBytes() - r.index() * v.chunkSize());
                f.logical()[tier] += bytes;
                f.physical()[tier] += (double) bytes * r.replicas().size();
            }
        }
        ChunkHealth h = chunkHealth(state, nodeDown);
        figures.set(new Figures(f.capacity(), f.free(), f.logical(), f.physical(), h.healthy(), h.degraded(),
                h.unavailable(), h.volumes(), h.degradedVolumes()));
    }

    /** The chunks' health in {@code state}; {@code nodeDown} tells which nodes are not heard from. */
    public static ChunkHealth chunkHealth(ClusterState state, Predicate<String> nodeDown) {
        long healthy = 0;
        long degraded = 0;
        long unavailable = 0;
        long volumes = 0;
        long degradedVolumes = 0;
        for (Volume v : state.volumes()) {
            volumes++;
            int wanted = state.policy(v.policy()).map(StoragePolicy::pieces).orElse(1);
            boolean volumeDegraded = false;
            for (ChunkRecord r : state.chunks(v.id())) {
                long live = r.replicas().stream().filter(x -> !nodeDown.test(x.nodeId())).count();
                if (live == 0) {
                    unavailable++;
                    volumeDegraded = true;
                } else if (live < wanted) {
                    degraded++;
                    volumeDegraded = true;
                } else {
                    healthy++;
                }
            }
            if (volumeDegraded) {
                degradedVolumes++;
            }
        }
        return new ChunkHealth(healthy, degraded, unavailable, volumes, degradedVolumes);
    }
}
