package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.ExtentView;
import io.keel.api.dto.VolumeView;
import io.keel.meta.cluster.ClusterSecrets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The snapshot routes over real HTTP against {@link FakeSnapshotService}. */
class SnapshotRoutesTest {
    private static final String PASSWORD = "correct horse battery";
    private static final FakeClusterService cluster = new FakeClusterService();
    private static final FakeVolumeService volumes = new FakeVolumeService();
    private static final FakeSnapshotService snapshots = new FakeSnapshotService(volumes);
    private static ApiServer server;
    private static HttpTestClient http;
    private static String auth;

    @BeforeAll
    static void start() {
        SecureRandom random = new SecureRandom();
        cluster.secrets = new ClusterSecrets(new PasswordHasher(random).hash(PASSWORD.toCharArray()),
                SessionTokens.newSigningKey(random));
        server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-a", new MutableClock(FakeClusterService.T0)),
                cluster, volumes, snapshots, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        http = HttpTestClient.plain(server.port());
        HttpResponse<String> login = http.send("POST", "/api/v1/login",
                "{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "\"}");
        auth = "Bearer " + json(login).get("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void volume() {
        volumes.volumes.put("v1", FakeVolumeService.volume("v1", "db", 1L << 30, "triple"));
    }

    @AfterEach
    void reset() {
        volumes.reset();
        snapshots.reset();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return http.send(method, path, body, "Authorization", auth);
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("code").asText()).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isEqualTo(message);
    }

    @Test
    void createListGetAndDelete() {
        HttpResponse<String> created = send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"monday\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = json(created);
        assertThat(s.get("name").asText()).isEqualTo("monday");
        assertThat(s.get("volume").asText()).isEqualTo("db");
        assertThat(s.get("sizeBytes").asLong()).isEqualTo(1L << 30);
        assertThat(s.get("createdAt").asText()).isEqualTo(FakeVolumeService.CREATED_AT);
        String id = s.get("id").asText();

        HttpResponse<String> list = send("GET", "/api/v1/volumes/v1/snapshots", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get(0).get("id").asText()).isEqualTo(id);
        assertThat(json(send("GET", "/api/v1/volumes/db/snapshots/monday", null)).get("id").asText()).isEqualTo(id);
        assertThat(json(send("GET", "/api/v1/volumes/db/snapshots/" + id, null)).get("name").asText())
                .isEqualTo("monday");

        HttpResponse<String> deleted = send("DELETE", "/api/v1/volumes/db/snapshots/monday", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(snapshots.snapshots).isEmpty();
        assertThat(snapshots.calls).containsExactly("create db monday", "list v1", "get db monday", "get db " + id,
                "delete db monday");
    }

    @Test
    void revertAnswersTheVolumeAndCloneAnswers201() {
        send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"monday\"}");
        HttpResponse<String> reverted = send("POST", "/api/v1/volumes/db/snapshots/monday/revert", null);
        assertThat(reverted.statusCode()).as(reverted.body()).isEqualTo(200);
        assertThat(json(reverted).get("id").asText()).isEqualTo("v1");

        HttpResponse<String> clone = send("POST", "/api/v1/volumes/db/snapshots/monday/clone",
                "{\"name\":\"db-copy\",\"policy\":\"single\"}");
        assertThat(clone.statusCode()).as(clone.body()).isEqualTo(201);
        assertThat(json(clone).get("name").asText()).isEqualTo("db-copy");
        assertThat(json(clone).get("policy").asText()).isEqualTo("single");
        assertThat(send("POST", "/api/v1/volumes/db/snapshots/monday/clone", "{\"name\":\"db-2\"}").statusCode())
                .isEqualTo(201);
        assertThat(snapshots.calls).contains(new CloneRequest("db-copy", "single"), new CloneRequest("db-2", null));
    }

    @Test
    void changedExtentsPassTheQueryAndDefaultToTheVolume() {
        send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"monday\"}");
        send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"tuesday\"}");
        snapshots.extents = List.of(new ExtentView(0, 64L << 20), new ExtentView(256L << 20, 128L << 20));
        HttpResponse<String> all = send("GET", "/api/v1/volumes/db/changed-extents", null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        JsonNode d = json(all);
        assertThat(d.get("from").isNull()).isTrue();
        assertThat(d.get("to").asText()).isEqualTo("db");
        assertThat(d.get("chunkSizeBytes").asInt()).isEqualTo(64 << 20);
        assertThat(d.get("extents").get(1).get("offset").asLong()).isEqualTo(256L << 20);
        assertThat(d.get("extents").get(1).get("length").asLong()).isEqualTo(128L << 20);
        assertThat(d.get("changedBytes").asLong()).isEqualTo(192L << 20);
        HttpResponse<String> between = send("GET", "/api/v1/volumes/db/changed-extents?from=monday&to=tuesday", null);
        assertThat(json(between).get("to").asText()).isEqualTo("tuesday");
        send("GET", "/api/v1/volumes/db/changed-extents?from=&to=", null);
        assertThat(snapshots.calls).contains("diff db null null", "diff db monday tuesday");
        assertThat(snapshots.calls.getLast()).isEqualTo("diff db null null");
    }

    @Test
    void unknownVolumesAndSnapshotsAre404() {
        assertError(send("GET", "/api/v1/volumes/nope/snapshots", null), 404, "not_found", "no volume 'nope'");
        assertError(send("POST", "/api/v1/volumes/nope/snapshots", "{\"name\":\"a\"}"), 404, "not_found",
                "no volume 'nope'");
        String missing = "volume db has no snapshot 'gone'";
        assertError(send("GET", "/api/v1/volumes/db/snapshots/gone", null), 404, "not_found", missing);
        assertError(send("DELETE", "/api/v1/volumes/db/snapshots/gone", null), 404, "not_found", missing);
        assertError(send("POST", "/api/v1/volumes/db/snapshots/gone/revert", null), 404, "not_found", missing);
        assertError(send("POST", "/api/v1/volumes/db/snapshots/gone/clone", "{\"name\":\"x\"}"), 404, "not_found",
                missing);
        assertError(send("GET", "/api/v1/volumes/db/changed-extents?from=gone", null), 404, "not_found", missing);
    }

    @Test
    void badInputIs400AndConflictsAre409() {
        HttpResponse<String> typo = send("POST", "/api/v1/volumes/db/snapshots", "{\"nmae\":\"a\"}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("message").asText()).contains("unknown field \"nmae\"");
        assertThat(send("POST", "/api/v1/volumes/db/snapshots", "").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/volumes/db/snapshots/x/clone", null).statusCode()).isEqualTo(400);
        assertThat(snapshots.calls).as("malformed bodies never reach the service").isEmpty();
        assertError(send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"bad name\"}"), 400, "invalid",
                "snapshot name 'bad name' is not valid");

        send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"monday\"}");
        assertError(send("POST", "/api/v1/volumes/db/snapshots", "{\"name\":\"monday\"}"), 409, "conflict",
                "volume db already has a snapshot named 'monday'");
        assertError(send("POST", "/api/v1/volumes/db/snapshots/monday/clone", "{\"name\":\"db\"}"), 409, "conflict",
                "volume name 'db' is taken");
        volumes.volumes.put("v1", new VolumeView("v1", "db", 1L << 30, 64 << 20, "triple", 0, 0, "healthy", null, 0,
                0, "node-b", 7L, FakeVolumeService.CREATED_AT, "node-b"));
        assertError(send("POST", "/api/v1/volumes/db/snapshots/monday/revert", null), 409, "conflict",
                "volume db is open on node-b");
    }

    @Test
    void routesNeedASessionAndFailuresKeepTheirStatus() {
        assertThat(http.get("/api/v1/volumes/db/snapshots").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v1/volumes/db/changed-extents").statusCode()).isEqualTo(401);
        assertThat(snapshots.calls).isEmpty();
        snapshots.failure = ApiException.quorumLost(1, 3);
        assertError(send("GET", "/api/v1/volumes/db/snapshots", null), 503, "quorum_lost",
                "metadata quorum lost (1 of 3 up)");
    }

    @Test
    void aServerWithoutASnapshotServiceAnswers503() {
        try (ApiServer plain = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-b",
                new MutableClock(FakeClusterService.T0)), cluster, volumes,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            HttpTestClient client = HttpTestClient.plain(plain.port());
            HttpResponse<String> login = client.send("POST", "/api/v1/login",
                    "{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "\"}");
            String token = "Bearer " + json(login).get("token").asText();
            HttpResponse<String> r = client.send("GET", "/api/v1/volumes/db/snapshots", null, "Authorization", token);
            assertError(r, 503, "unavailable", "snapshots are not served by this node yet");
        }
    }
}
