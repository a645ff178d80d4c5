package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.MonitoringHistoryView;
import io.keel.api.dto.MonitoringPointView;
import io.keel.api.dto.NodeRebuildView;
import io.keel.api.dto.StorageHealthView;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitoring history routes over real HTTP against a fake service. */
class MonitoringRoutesTest {
    private static final FakeMonitoring monitoring = new FakeMonitoring();
    private static final FakeClusterService cluster = new FakeClusterService();
    private static LoggedInApi api;

    /** One point per call, naming the range; records the calls. */
    static final class FakeMonitoring implements MonitoringService {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public MonitoringHistoryView history(MonitoringRange range) {
            calls.add("history " + range.text());
            return new MonitoringHistoryView(range.text(), range.stepSeconds(), List.of(point()), List.of("node3"));
        }

        @Override
        public MonitoringHistoryView localSamples(MonitoringRange range) {
            calls.add("local " + range.text());
            return new MonitoringHistoryView(range.text(), range.stepSeconds(), List.of(point()), List.of());
        }

        @Override
        public StorageHealthView storageHealth() {
            calls.add("health");
            return new StorageHealthView(90, 8, 2, 3, 1, 7, 5, 1L << 33, 1.5e6, List.of("node3"));
        }

        @Override
        public NodeRebuildView localRebuild() {
            calls.add("rebuild");
            return new NodeRebuildView(4, 3, 1L << 32, 2.5e5);
        }

        private static MonitoringPointView point() {
            return new MonitoringPointView(FakeClusterService.T0, 1.5, 2, 4096, 8192, 8, 9, 1, 2, 3, 4, 0, 0, 0, 0);
        }
    }

    @BeforeAll
    static void start() {
        cluster.nodeSecrets.put("n2", "secret-2");
        api = new LoggedInApi(cluster, services -> services.withMonitoring(monitoring));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        monitoring.calls.clear();
    }

    @Test
    void theHistoryOfEachRangeHasItsStep() {
        HttpResponse<String> r = api.send("GET", "/api/v1/monitoring/history?range=1h", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("range").asText()).isEqualTo("1h");
        assertThat(body.get("stepSeconds").asInt()).isEqualTo(10);
        assertThat(body.get("missingNodes").get(0).asText()).isEqualTo("node3");
        JsonNode p = body.get("points").get(0);
        assertThat(p.get("t").asText()).isEqualTo(FakeClusterService.T0.toString());
        assertThat(p.get("readOps").asDouble()).isEqualTo(1.5);
        assertThat(p.get("writeOps").asDouble()).isEqualTo(2.0);
        assertThat(p.get("chunkServicesUp").asInt()).isEqualTo(8);
        assertThat(p.get("chunkServicesTotal").asInt()).isEqualTo(9);
        assertThat(p.get("logicalProvisionedBytes").asLong()).isEqualTo(4);
        for (String[] rs : new String[][] {{"30m", "10"}, {"6h", "60"}, {"12h", "120"}, {"7d", "300"}}) {
            assertThat(json(api.send("GET", "/api/v1/monitoring/history?range=" + rs[0], null)).get("stepSeconds")
                    .asText()).isEqualTo(rs[1]);
        }
        assertThat(monitoring.calls).containsExactly("history 1h", "history 30m", "history 6h", "history 12h",
                "history 7d");
    }

    @Test
    void anyOtherRangeIsRefusedWithTheAllowedOnes() {
        assertError(api.send("GET", "/api/v1/monitoring/history?range=2h", null), 400, "invalid",
                "range must be one of 30m, 1h, 6h, 12h, 7d, not '2h'");
        assertError(api.send("GET", "/api/v1/monitoring/history", null), 400, "invalid",
                "range must be one of 30m, 1h, 6h, 12h, 7d");
        assertError(api.http.send("GET", "/api/v1/internal/monitoring/samples?range=1d", null, "Authorization",
                "Node n2:secret-2"), 400, "invalid", "range must be one of 30m, 1h, 6h, 12h, 7d, not '1d'");
        assertThat(monitoring.calls).isEmpty();
    }

    @Test
    void theHistoryNeedsASessionAndTheSamplesANodeCredential() {
        assertThat(api.http.send("GET", "/api/v1/monitoring/history?range=1h", null).statusCode()).isEqualTo(401);
        assertThat(api.http.send("GET", "/api/v1/monitoring/history?range=1h", null, "Authorization",
                "Node n2:secret-2").statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/internal/monitoring/samples?range=1h", null).statusCode()).isEqualTo(401);
        assertThat(api.http.send("GET", "/api/v1/internal/monitoring/samples?range=1h", null, "Authorization",
                "Node n2:wrong").statusCode()).isEqualTo(401);
        assertThat(monitoring.calls).isEmpty();
        HttpResponse<String> r = api.http.send("GET", "/api/v1/internal/monitoring/samples?range=6h", null,
                "Authorization", "Node n2:secret-2");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("stepSeconds").asInt()).isEqualTo(60);
        assertThat(monitoring.calls).containsExactly("local 6h");
    }

    @Test
    void storageHealthNeedsASessionAndTheRebuildShareANodeCredential() {
        assertThat(api.http.send("GET", "/api/v1/storage/health", null).statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/internal/storage/rebuild", null).statusCode()).isEqualTo(401);
        assertThat(monitoring.calls).isEmpty();

        HttpResponse<String> r = api.send("GET", "/api/v1/storage/health", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode h = json(r);
        assertThat(h.get("healthyChunks").asLong()).isEqualTo(90);
        assertThat(h.get("degradedChunks").asLong()).isEqualTo(8);
        assertThat(h.get("unavailableChunks").asLong()).isEqualTo(2);
        assertThat(h.get("pendingRebuildChunks").asLong()).isEqualTo(7);
        assertThat(h.get("bytesRebuilt").asLong()).isEqualTo(1L << 33);
        assertThat(h.get("rebuildBytesPerSecond").asDouble()).isEqualTo(1.5e6);
        assertThat(h.get("missingNodes").get(0).asText()).isEqualTo("node3");

        HttpResponse<String> mine = api.http.send("GET", "/api/v1/internal/storage/rebuild", null, "Authorization",
                "Node n2:secret-2");
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(json(mine).get("pendingChunks").asLong()).isEqualTo(4);
        assertThat(json(mine).get("bytesPerSecond").asDouble()).isEqualTo(2.5e5);
        assertThat(monitoring.calls).containsExactly("health", "rebuild");
    }
}
