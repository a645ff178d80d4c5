package io.keel.node.metrics;

import io.keel.meta.cluster.NodeRecord;
import io.keel.meta.raft.MetadataServer;
import io.keel.meta.raft.RaftStatus;
import io.keel.node.health.HeartbeatMonitor;
import io.keel.node.membership.MetadataHost;
import io.keel.node.service.MetaGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The node's own gauges, next to the API's request timers: Raft role, term and indexes of the
 * local metadata service, the quorum as this node sees it, and heartbeat age per node.
 */
public final class NodeMetrics {
    private final MetadataHost host;
    private final HeartbeatMonitor monitor;
    private final MultiGauge heartbeatAge;
    private final MultiGauge nodeUp;
    private final Duration detectionTime;

    public NodeMetrics(MeterRegistry registry, MetadataHost host, MetaGateway meta, HeartbeatMonitor monitor,
            Duration detectionTime) {
        this.detectionTime = Objects.requireNonNull(detectionTime, "detectionTime");
        Objects.requireNonNull(registry, "registry");
        this.host = Objects.requireNonNull(host, "host");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        raftGauge(registry, "keel.raft.leader", "1 when this node's metadata service is the Raft leader",
                s -> "LEADER".equals(s.role()) ? 1 : 0);
        raftGauge(registry, "keel.raft.term", "current Raft term", RaftStatus::term);
        raftGauge(registry, "keel.raft.commit.index", "Raft commit index", RaftStatus::commitIndex);
        raftGauge(registry, "keel.raft.applied.index", "last log index applied to the state", RaftStatus::appliedIndex);
        raftGauge(registry, "keel.raft.members", "members of the metadata group", s -> s.members().size());
        Gauge.builder("keel.metadata.members.up", meta, m -> m.quorum().up())
                .description("metadata members this node sees alive").register(registry);
        Gauge.builder("keel.metadata.quorum", meta, m -> m.quorum().hasMajority() ? 1 : 0)
                .description("1 while this node sees a majority of metadata members alive").register(registry);
        heartbeatAge = MultiGauge.builder("keel.node.heartbeat.age")
                .description("seconds since this node last heard from each node").baseUnit("seconds")
                .register(registry);
        nodeUp = MultiGauge.builder("keel.node.up")
                .description("1 when the node is within the detection time").register(registry);
    }

    private void raftGauge(MeterRegistry registry, String name, String description, ToDoubleFunction<RaftStatus> f) {
        Gauge.builder(name, host, h -> status(h).map(f::applyAsDouble).orElse(Double.NaN))
                .description(description).register(registry);
    }

    private static Optional<RaftStatus> status(MetadataHost h) {
        return h.server().map(MetadataServer::status);
    }

    /** Called once per agent tick: the set of nodes changes as nodes join. */
    public void refresh(MetaGateway meta) {
        List<NodeRecord> nodes;
        try {
            nodes = meta.state().nodes();
        } catch (RuntimeException e) {
            return;
        }
        heartbeatAge.register(nodes.stream()
                .map(n -> MultiGauge.Row.of(Tags.of("node", n.name()), monitor,
                        m -> m.age(n.id()).map(d -> d.toMillis() / 1000.0).orElse(Double.NaN)))
                .toList(), true);
        nodeUp.register(nodes.stream()
                .map(n -> MultiGauge.Row.of(Tags.of("node", n.name()), monitor,
                        m -> m.alive(n.id(), detectionTime) ? 1 : 0))
                .toList(), true);
    }
}
