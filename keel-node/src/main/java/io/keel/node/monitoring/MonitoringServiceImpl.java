package io.keel.node.monitoring;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keel.api.MonitoringRange;
import io.keel.api.MonitoringService;
import io.keel.api.dto.MonitoringHistoryView;
import io.keel.api.dto.MonitoringPointView;
import io.keel.api.dto.NodeRebuildView;
import io.keel.api.dto.StorageHealthView;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.metrics.StorageMetrics;
import io.keel.node.service.PeerCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The dashboard's history (ADR 0053): this node's points plus every other node's, asked of them
 * in parallel over the internal API and summed step by step. A node that does not answer within
 * {@link #PEER_TIMEOUT} (or is known to be down) is left out and named, so the page stays quick and
 * says what its sums lack. Logical space is the cluster's, so it is taken from this node, not summed.
 * The storage's health and rebuild progress are gathered the same way.
 */
public final class MonitoringServiceImpl implements MonitoringService {
    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    static final String SAMPLES_PATH = "/api/v1/internal/monitoring/samples?range=";
    static final String REBUILD_PATH = "/api/v1/internal/storage/rebuild";
    /** A rebuild rate from a point older than this is stale (sampling stopped): it counts as none. */
    static final Duration RATE_FRESH = NodeMonitoring.SAMPLE_EVERY.multipliedBy(3);

    /** Asks other nodes for their own figures. */
    public interface Peers {
        List<MonitoringPointView> samples(NodeRecord node, MonitoringRange range) throws Exception;

        NodeRebuildView rebuild(NodeRecord node) throws Exception;
    }

    /** This node's rebuild counters: pending chunks of its healer's last round, chunks and bytes rebuilt. */
    public record RebuildCounters(long pendingChunks, long chunksRebuilt, long bytesRebuilt) {
        public static final RebuildCounters NONE = new RebuildCounters(0, 0, 0);
    }

    /** What this node knows itself: the cluster's chunks by health (from its metadata) and its rebuild counters. */
    public record Local(MonitoringHistory history, Supplier<StorageMetrics.ChunkHealth> chunks,
            Supplier<RebuildCounters> rebuild) {
        public Local {
            Objects.requireNonNull(history, "history");
            Objects.requireNonNull(chunks, "chunks");
            Objects.requireNonNull(rebuild, "rebuild");
        }
    }

    private final Supplier<ClusterState> state;
    private final Local local;
    private final Peers peers;
    private final PeerGather gather;
    private final Clock clock;

    public MonitoringServiceImpl(String selfId, Supplier<ClusterState> state, Predicate<String> alive, Local local,
            Peers peers, Executor executor, Duration timeout, Clock clock) {
        this.state = Objects.requireNonNull(state, "state");
        this.local = Objects.requireNonNull(local, "local");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.gather = new PeerGather(selfId, alive, executor, timeout);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** As a node runs it: peers asked with its credential, each on a virtual thread. */
    public static MonitoringServiceImpl forNode(String selfId, Supplier<ClusterState> state, Predicate<String> alive,
            Local local, PeerCall calls, Clock clock) {
        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Peers peers = new Peers() {
            @Override
            public List<MonitoringPointView> samples(NodeRecord node, MonitoringRange range) throws Exception {
                return json.readValue(calls.get(node, SAMPLES_PATH + range.text()), MonitoringHistoryView.class)
                        .points();
            }

            @Override
            public NodeRebuildView rebuild(NodeRecord node) throws Exception {
                return json.readValue(calls.get(node, REBUILD_PATH), NodeRebuildView.class);
            }
        };
        return new MonitoringServiceImpl(selfId, state, alive, local, peers,
                Executors.newVirtualThreadPerTaskExecutor(), PEER_TIMEOUT, clock);
    }

    @Override
    public MonitoringHistoryView localSamples(MonitoringRange range) {
        Objects.requireNonNull(range, "range");
        return new MonitoringHistoryView(range.text(), range.stepSeconds(),
                local.history().points(range, clock.instant()), List.of());
    }

    @Override
    public MonitoringHistoryView history(MonitoringRange range) {
        Objects.requireNonNull(range, "range");
        Instant now = clock.instant();
        PeerGather.Answers<List<MonitoringPointView>> others = gather.ask(state.get().nodes(), "monitoring history",
                n -> peers.samples(n, range));
        List<MonitoringPointView> mine = local.history().points(range, now);
        return new MonitoringHistoryView(range.text(), range.stepSeconds(), sum(mine, others.answers()),
                others.missing());
    }

    @Override
    public NodeRebuildView localRebuild() {
        RebuildCounters c = local.rebuild().get();
        Instant now = clock.instant();
        double rate = local.history().latest().filter(p -> !p.t().isBefore(now.minus(RATE_FRESH)))
                .map(MonitoringPointView::rebuildBytes).orElse(0.0);
        return new NodeRebuildView(c.pendingChunks(), c.chunksRebuilt(), c.bytesRebuilt(), rate);
    }

    /**
     * Chunks by health from this node's metadata; rebuild figures summed over the nodes, except
     * pending chunks: every node's healer plans for every volume, so each counts the same chunks and
     * the most any node counts is the cluster's figure.
     */
    @Override
    public StorageHealthView storageHealth() {
        PeerGather.Answers<NodeRebuildView> others = gather.ask(state.get().nodes(), "rebuild progress",
                peers::rebuild);
        StorageMetrics.ChunkHealth h = local.chunks().get();
        List<NodeRebuildView> all = new ArrayList<>(others.answers());
        all.add(localRebuild());
        long pending = 0;
        long chunks = 0;
        long bytes = 0;
        double rate = 0;
        for (NodeRebuildView r : all) {
            pending = Math.max(pending, r.pendingChunks());
            chunks += r.chunksRebuilt();
            bytes += r.bytesRebuilt();
            rate += r.bytesPerSecond();
        }
        return new StorageHealthView(h.healthy(), h.degraded(), h.unavailable(), h.volumes(), h.degradedVolumes(),
                pending, chunks, bytes, rate, others.missing());
    }

    /**
     * The cluster's points: I/O, chunk services, physical space, rebuild and S3 rates summed over the nodes with a
     * point at that step; logical space this node's, or where it has no point, another's (every node
     * samples the same cluster-wide figure).
     */
    static List<MonitoringPointView> sum(List<MonitoringPointView> local, List<List<MonitoringPointView>> others) {
        Map<Instant, Sum> steps = new TreeMap<>();
        local.forEach(p -> steps.computeIfAbsent(p.t(), t -> new Sum()).add(p, true));
        others.forEach(points -> points.forEach(p -> steps.computeIfAbsent(p.t(), t -> new Sum()).add(p, false)));
        List<MonitoringPointView> out = new ArrayList<>(steps.size());
        steps.forEach((t, sum) -> out.add(sum.point(t)));
        return out;
    }

    private static final class Sum {
        private double readOps;
        private double writeOps;
        private double readBytes;
        private double writeBytes;
        private int up;
        private int total;
        private long physUsed;
        private long physTotal;
        private double rebuild;
        private double s3Requests;
        private double s3In;
        private double s3Out;
        private MonitoringPointView logical;
        private boolean logicalIsLocal;

        void add(MonitoringPointView p, boolean isLocal) {
            readOps += p.readOps();
            writeOps += p.writeOps();
            readBytes += p.readBytes();
            writeBytes += p.writeBytes();
            up += p.chunkServicesUp();
            total += p.chunkServicesTotal();
            physUsed += p.physicalUsedBytes();
            physTotal += p.physicalTotalBytes();
            rebuild += p.rebuildBytes();
            s3Requests += p.s3Requests();
            s3In += p.s3BytesIn();
            s3Out += p.s3BytesOut();
            if (isLocal || logical == null) {
                logical = p;
                logicalIsLocal |= isLocal;
            } else if (!logicalIsLocal && p.logicalProvisionedBytes() > logical.logicalProvisionedBytes()) {
                logical = p;
            }
        }

        MonitoringPointView point(Instant t) {
            return new MonitoringPointView(t, readOps, writeOps, readBytes, writeBytes, up, total, physUsed, physTotal,
                    logical.logicalUsedBytes(), logical.logicalProvisionedBytes(), rebuild, s3Requests, s3In, s3Out);
        }
    }
}
