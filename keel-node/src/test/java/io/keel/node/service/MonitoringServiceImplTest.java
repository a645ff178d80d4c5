package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.MonitoringRange;
import io.keel.api.dto.MonitoringHistoryView;
import io.keel.api.dto.MonitoringPointView;
import io.keel.node.monitoring.MonitoringHistory;
import io.keel.node.monitoring.MonitoringServiceImpl;
import io.keel.api.dto.NodeRebuildView;
import io.keel.api.dto.StorageHealthView;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.metrics.StorageMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cluster's history summed over nodes n1..n3, with the peers played by a fake fetcher. */
class MonitoringServiceImplTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private final S3TestMeta meta = new S3TestMeta();
    private final MonitoringHistory local = new MonitoringHistory();
    private final Map<String, List<MonitoringPointView>> peerPoints = new ConcurrentHashMap<>();
    private final Map<String, String> asked = new ConcurrentHashMap<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean node3Down;

    private final Map<String, NodeRebuildView> peerRebuild = new ConcurrentHashMap<>();
    private volatile MonitoringServiceImpl.RebuildCounters localCounters = MonitoringServiceImpl.RebuildCounters.NONE;

    private final MonitoringServiceImpl service = new MonitoringServiceImpl("n1", meta::state,
            n -> !(node3Down && n.equals("n3")), new MonitoringServiceImpl.Local(local,
                    () -> new StorageMetrics.ChunkHealth(90, 8, 2, 4, 1), () -> localCounters),
            new MonitoringServiceImpl.Peers() {
                @Override
                public List<MonitoringPointView> samples(NodeRecord node, MonitoringRange range) throws Exception {
                    asked.put(node.id(), range.text());
                    return answer(node, peerPoints);
                }

                @Override
                public NodeRebuildView rebuild(NodeRecord node) throws Exception {
                    asked.put(node.id(), "rebuild");
                    return answer(node, peerRebuild);
                }
            }, executor, Duration.ofMillis(200), Clock.fixed(T0.plusSeconds(25), ZoneOffset.UTC));

    /** n3 does not answer in time and n2 fails unless given an answer. */
    private <T> T answer(NodeRecord node, Map<String, T> answers) throws Exception {
        if (node.id().equals("n3") && !answers.containsKey("n3")) {
            never.await();
        }
        if (node.id().equals("n2") && !answers.containsKey("n2")) {
            throw new IOException("HTTP 503");
        }
        return answers.get(node.id());
    }

    @AfterEach
    void stop() {
        never.countDown();
        executor.shutdownNow();
    }

    private static MonitoringPointView point(long second, double readOps, int up, long logical) {
        return new MonitoringPointView(T0.plusSeconds(second), readOps, 1, 4096, 0, up, 3, 10, 100, logical,
                logical * 2, readOps * 100, readOps, readOps * 10, 0);
    }

    @Test
    void nodesThatAnswerAreSummedStepByStepAndLogicalSpaceIsTheServingNodes() {
        local.add(point(0, 1, 3, 500));
        local.add(point(10, 2, 3, 500));
        local.add(point(20, 3, 2, 600));
        peerPoints.put("n2", List.of(point(10, 10, 3, 999), point(20, 20, 3, 999)));
        peerPoints.put("n3", List.of(point(0, 100, 1, 999), point(10, 100, 3, 999)));

        MonitoringHistoryView h = service.history(MonitoringRange.H1);
        assertThat(h.range()).isEqualTo("1h");
        assertThat(h.stepSeconds()).isEqualTo(10);
        assertThat(h.missingNodes()).isEmpty();
        assertThat(asked).isEqualTo(Map.of("n2", "1h", "n3", "1h"));
        assertThat(h.points()).extracting(MonitoringPointView::t).containsExactly(T0, T0.plusSeconds(10),
                T0.plusSeconds(20));
        assertThat(h.points()).extracting(MonitoringPointView::readOps).containsExactly(101.0, 112.0, 23.0);
        assertThat(h.points()).extracting(MonitoringPointView::chunkServicesUp).containsExactly(4, 9, 5);
        assertThat(h.points()).extracting(MonitoringPointView::chunkServicesTotal).containsExactly(6, 9, 6);
        assertThat(h.points()).extracting(MonitoringPointView::physicalTotalBytes).containsExactly(200L, 300L, 200L);
        assertThat(h.points()).extracting(MonitoringPointView::logicalUsedBytes).containsExactly(500L, 500L, 600L);
        assertThat(h.points()).extracting(MonitoringPointView::logicalProvisionedBytes)
                .containsExactly(1000L, 1000L, 1200L);
        assertThat(h.points()).extracting(MonitoringPointView::rebuildBytes).containsExactly(10_100.0, 11_200.0,
                2_300.0);
        assertThat(h.points()).extracting(MonitoringPointView::s3Requests).containsExactly(101.0, 112.0, 23.0);
        assertThat(h.points()).extracting(MonitoringPointView::s3BytesIn).containsExactly(1010.0, 1120.0, 230.0);
    }

    @Test
    void nodesThatFailAreSlowOrDownAreNamedNotWaitedFor() {
        local.add(point(10, 2, 3, 500));
        MonitoringHistoryView h = service.history(MonitoringRange.M30);
        assertThat(h.missingNodes()).containsExactly("node2", "node3");
        assertThat(h.points()).extracting(MonitoringPointView::readOps).containsExactly(2.0);

        node3Down = true;
        asked.clear();
        peerPoints.put("n2", List.of(point(0, 5, 3, 0))); // as n2 steps it: by the minute
        MonitoringHistoryView down = service.history(MonitoringRange.H6);
        assertThat(asked).as("a node known down is not asked").containsOnlyKeys("n2");
        assertThat(down.missingNodes()).containsExactly("node3");
        assertThat(down.stepSeconds()).isEqualTo(60);
        assertThat(down.points()).extracting(MonitoringPointView::t).containsExactly(T0);
        assertThat(down.points().getFirst().readOps()).isEqualTo(7.0);
    }

    @Test
    void thePeerRouteAnswersThisNodesOwnPoints() {
        local.add(point(0, 1, 3, 500));
        local.add(point(10, 3, 3, 500));
        MonitoringHistoryView mine = service.localSamples(MonitoringRange.H6);
        assertThat(mine.missingNodes()).isEmpty();
        assertThat(mine.points()).hasSize(1);
        assertThat(mine.points().getFirst().readOps()).isEqualTo(2.0);
        assertThat(asked).isEmpty();
    }

    @Test
    void storageHealthTakesChunksFromThisNodeAndSumsTheRebuildOverTheNodes() {
        // n1's newest point (t=20) is 5 s old: its rebuild rate is current.
        local.add(point(20, 3, 3, 500));
        localCounters = new MonitoringServiceImpl.RebuildCounters(6, 2, 1000);
        peerRebuild.put("n2", new NodeRebuildView(9, 5, 4000, 1000.5));
        peerRebuild.put("n3", new NodeRebuildView(4, 1, 500, 20));

        StorageHealthView h = service.storageHealth();
        assertThat(asked).isEqualTo(Map.of("n2", "rebuild", "n3", "rebuild"));
        assertThat(h.healthyChunks()).isEqualTo(90);
        assertThat(h.degradedChunks()).isEqualTo(8);
        assertThat(h.unavailableChunks()).isEqualTo(2);
        assertThat(h.volumes()).isEqualTo(4);
        assertThat(h.degradedVolumes()).isEqualTo(1);
        assertThat(h.pendingRebuildChunks()).as("every healer counts the same chunks: the most, not the sum")
                .isEqualTo(9);
        assertThat(h.chunksRebuilt()).isEqualTo(8);
        assertThat(h.bytesRebuilt()).isEqualTo(5500);
        assertThat(h.rebuildBytesPerSecond()).as("n1's point has 300 bytes/s").isEqualTo(300 + 1000.5 + 20);
        assertThat(h.missingNodes()).isEmpty();

        NodeRebuildView mine = service.localRebuild();
        assertThat(mine).isEqualTo(new NodeRebuildView(6, 2, 1000, 300));
    }

    @Test
    void storageHealthNamesNodesThatDoNotAnswerAndAStaleRateCountsAsNone() {
        local.add(point(-60, 3, 3, 500));
        localCounters = new MonitoringServiceImpl.RebuildCounters(1, 0, 0);
        node3Down = true;
        StorageHealthView h = service.storageHealth();
        assertThat(h.missingNodes()).containsExactly("node2", "node3");
        assertThat(asked).as("a node known down is not asked").containsOnlyKeys("n2");
        assertThat(h.rebuildBytesPerSecond()).isZero();
        assertThat(h.pendingRebuildChunks()).isEqualTo(1);
    }
}
