package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.dto.VolumeView;
import io.keel.meta.cluster.ClusterSecrets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The volume routes over real HTTP against {@link FakeVolumeService}. */
class VolumeRoutesTest {
    private static final String PASSWORD = "correct horse battery";
    private static final FakeClusterService cluster = new FakeClusterService();
    private static final FakeVolumeService volumes = new FakeVolumeService();
    private static ApiServer server;
    private static HttpTestClient http;
    private static String auth;

    @BeforeAll
    static void start() {
        SecureRandom random = new SecureRandom();
        cluster.secrets = new ClusterSecrets(new PasswordHasher(random).hash(PASSWORD.toCharArray()),
                SessionTokens.newSigningKey(random));
        server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-a", new MutableClock(FakeClusterService.T0)),
                cluster, volumes, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        http = HttpTestClient.plain(server.port());
        HttpResponse<String> login = http.send("POST", "/api/v1/login",
                "{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "\"}");
        auth = "Bearer " + json(login).get("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void reset() {
        volumes.reset();
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
    void createAnswers201WithTheVolume() {
        HttpResponse<String> r = send("POST", "/api/v1/volumes",
                "{\"name\":\"db\",\"size\":\"10G\",\"policy\":\"triple\",\"chunkSize\":\"32M\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode v = json(r);
        assertThat(v.get("name").asText()).isEqualTo("db");
        assertThat(v.get("sizeBytes").asLong()).isEqualTo(10L << 30);
        assertThat(v.get("chunkSizeBytes").asInt()).isEqualTo(32 << 20);
        assertThat(v.get("health").asText()).isEqualTo("healthy");
        assertThat(v.get("healthReason").isNull()).isTrue();
        assertThat(v.get("leaseHolder").isNull()).isTrue();
        assertThat(v.get("leaseEpoch").isNull()).isTrue();
        assertThat(v.get("createdAt").asText()).isEqualTo(FakeVolumeService.CREATED_AT);
        assertThat(volumes.calls).containsExactly(new CreateVolumeRequest("db", "10G", "triple", "32M"));
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        assertThat(send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"size\":\"1048576\"}").statusCode()).isEqualTo(201);
        assertThat(volumes.calls).containsExactly(new CreateVolumeRequest("db", "1048576", null, null));
    }

    @Test
    void listGetExtendSetPolicyAndDelete() {
        volumes.volumes.put("v1", FakeVolumeService.volume("v1", "db", 1L << 30, "triple"));

        HttpResponse<String> list = send("GET", "/api/v1/volumes", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get(0).get("id").asText()).isEqualTo("v1");
        assertThat(json(send("GET", "/api/v1/volumes/db", null)).get("id").asText()).isEqualTo("v1");
        assertThat(json(send("GET", "/api/v1/volumes/v1", null)).get("name").asText()).isEqualTo("db");

        HttpResponse<String> extended = send("POST", "/api/v1/volumes/db/extend", "{\"size\":\"2G\"}");
        assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
        assertThat(json(extended).get("sizeBytes").asLong()).isEqualTo(2L << 30);

        HttpResponse<String> moved = send("PUT", "/api/v1/volumes/db/policy", "{\"policy\":\"single\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).get("policy").asText()).isEqualTo("single");

        HttpResponse<String> deleted = send("DELETE", "/api/v1/volumes/db", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(volumes.volumes).isEmpty();
        assertThat(volumes.calls).containsExactly("list", "get db", "get v1", new ExtendVolumeRequest("2G"),
                new SetVolumePolicyRequest("single"), "delete db");
    }

    @Test
    void breakingALeaseAnswersTheVolumeWithoutAWriterOr409() {
        volumes.volumes.put("v1", FakeVolumeService.volume("v1", "db", 1L << 30, "triple"));
        HttpResponse<String> noHolder = send("POST", "/api/v1/volumes/db/break-lease", null);
        assertError(noHolder, 409, "conflict", "no one holds the write lease of volume db");
        assertError(send("POST", "/api/v1/volumes/nope/break-lease", null), 404, "not_found", "no volume 'nope'");
    }

    @Test
    void unknownVolumeIs404() {
        assertError(send("GET", "/api/v1/volumes/nope", null), 404, "not_found", "no volume 'nope'");
        assertError(send("POST", "/api/v1/volumes/nope/extend", "{\"size\":\"1G\"}"), 404, "not_found", "no volume 'nope'");
        assertError(send("PUT", "/api/v1/volumes/nope/policy", "{\"policy\":\"triple\"}"), 404, "not_found",
                "no volume 'nope'");
        assertError(send("DELETE", "/api/v1/volumes/nope", null), 404, "not_found", "no volume 'nope'");
    }

    @Test
    void badSizesAndShrinkingAre400() {
        assertError(send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"size\":\"12Q\"}"), 400, "invalid",
                "size must be a number of bytes or end in K, M, G, T (powers of 1024): \"12Q\"");
        assertError(send("POST", "/api/v1/volumes", "{\"name\":\"db\"}"), 400, "invalid", "size is required");
        volumes.volumes.put("v1", FakeVolumeService.volume("v1", "db", 1L << 30, "triple"));
        assertError(send("POST", "/api/v1/volumes/db/extend", "{\"size\":\"512M\"}"), 400, "invalid",
                "volume db is 1073741824 bytes; volumes only grow");
    }

    @Test
    void malformedBodiesAreRefusedBeforeTheService() {
        HttpResponse<String> typo = send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"sise\":\"1G\"}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("message").asText()).contains("unknown field \"sise\"");
        assertThat(send("POST", "/api/v1/volumes", "").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/api/v1/volumes/db/policy", null).statusCode()).isEqualTo(400);
        assertThat(volumes.calls).isEmpty();
    }

    @Test
    void conflictsAre409() {
        volumes.volumes.put("v1", FakeVolumeService.volume("v1", "db", 1L << 30, "triple"));
        assertError(send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"size\":\"1G\"}"), 409, "conflict",
                "volume name 'db' is taken");
        VolumeView open = new VolumeView("v2", "logs", 1L << 30, 64 << 20, "triple", 0, 0, "healthy", null, 0, 0,
                "node-b", 7L, FakeVolumeService.CREATED_AT, "node-b");
        volumes.volumes.put("v2", open);
        assertError(send("DELETE", "/api/v1/volumes/logs", null), 409, "conflict", "volume logs is open on node-b");
        assertError(send("PUT", "/api/v1/volumes/db/policy", "{\"policy\":\"gold\"}"), 404, "not_found",
                "no storage policy 'gold'");
    }

    @Test
    void volumeRoutesNeedASession() {
        assertThat(http.get("/api/v1/volumes").statusCode()).isEqualTo(401);
        assertThat(http.send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"size\":\"1G\"}").statusCode()).isEqualTo(401);
        assertThat(http.send("DELETE", "/api/v1/volumes/db", null, "Authorization", "Node n1:x").statusCode())
                .isEqualTo(401);
        assertThat(volumes.calls).isEmpty();
    }

    @Test
    void serviceFailuresKeepTheirStatus() {
        volumes.failure = ApiException.quorumLost(1, 3);
        assertError(send("GET", "/api/v1/volumes", null), 503, "quorum_lost", "metadata quorum lost (1 of 3 up)");
    }
}
