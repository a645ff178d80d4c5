package io.keel.node.monitoring;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keel.api.MonitoringRange;
import io.keel.api.MonitoringService;
import io.keel.api.dto.MonitoringHistoryView;
import io.keel.api.dto.MonitoringPointView;
import io.keel.meta.cluster.ClusterState;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.service.PeerCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's history (ADR 0053): this node's points plus every other node's, asked of them
 * in parallel over the internal API and summed step by step. A node that does not answer within
 * {@link #PEER_TIMEOUT} (or is known to be down) is left out and named, so the page stays quick and
 * says what its sums lack. Logical space is the cluster's, so it is taken from this node, not summed.
 */
public final class MonitoringServiceImpl implements MonitoringService {
    private static final Logger log = LoggerFactory.getLogger(MonitoringServiceImpl.class);
    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
    static final String SAMPLES_PATH = "/api/v1/internal/monitoring/samples?range=";

    /** Asks one other node for its own points of a range. */
    @FunctionalInterface
    public interface PeerSamples {
        List<MonitoringPointView> fetch(NodeRecord node, MonitoringRange range) throws Exception;
    }

    private final String selfId;
    private final Supplier<ClusterState> state;
    private final Predicate<String> alive;
    private final MonitoringHistory history;
    private final PeerSamples peers;
    private final Executor executor;
    private final Duration timeout;
    private final Clock clock;

    public MonitoringServiceImpl(String selfId, Supplier<ClusterState> state, Predicate<String> alive,
            MonitoringHistory history, PeerSamples peers, Executor executor, Duration timeout, Clock clock) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.state = Objects.requireNonNull(state, "state");
        this.alive = Objects.requireNonNull(alive, "alive");
        this.history = Objects.requireNonNull(history, "history");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** As a node runs it: peers asked with its credential, each on a virtual thread. */
    public static MonitoringServiceImpl forNode(String selfId, Supplier<ClusterState> state, Predicate<String> alive,
            MonitoringHistory history, PeerCall calls, Clock clock) {
        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        PeerSamples peers = (node, range) -> json.readValue(calls.get(node, SAMPLES_PATH + range.text()),
                MonitoringHistoryView.class).points();
        return new MonitoringServiceImpl(selfId, state, alive, history, peers,
                Executors.newVirtualThreadPerTaskExecutor(), PEER_TIMEOUT, clock);
    }

    @Override
    public MonitoringHistoryView localSamples(MonitoringRange range) {
        Objects.requireNonNull(range, "range");
        return new MonitoringHistoryView(range.text(), range.stepSeconds(), history.points(range, clock.instant()),
                List.of());
    }

    @Override
    public MonitoringHistoryView history(MonitoringRange range) {
        Objects.requireNonNull(range, "range");
        ClusterState s = state.get();
        Instant now = clock.instant();
        Map<NodeRecord, CompletableFuture<List<MonitoringPointView>>> asked = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (NodeRecord n : s.nodes()) {
            if (n.id().equals(selfId)) {
                continue;
            }
            if (!alive.test(n.id())) {
                missing.add(n.name());
                continue;
            }
            asked.put(n, CompletableFuture.supplyAsync(() -> {
                try {
                    return peers.fetch(n, range);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, executor));
        }
        List<MonitoringPointView> local = history.points(range, now);
        List<List<MonitoringPointView>> answers = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var e : asked.entrySet()) {
            try {
                answers.add(e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException ex) {
                log.debug("monitoring history of node {} left out: {}", e.getKey().name(), ex.toString());
                e.getValue().cancel(true);
                missing.add(e.getKey().name());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                missing.add(e.getKey().name());
            }
        }
        return new MonitoringHistoryView(range.text(), range.stepSeconds(), sum(local, answers),
                missing.stream().sorted().toList());
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
