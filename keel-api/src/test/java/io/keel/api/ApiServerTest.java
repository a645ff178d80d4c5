package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.api.dto.HeartbeatRequest;
import io.keel.api.dto.JoinClusterRequest;
import io.keel.api.dto.RotateTokenRequest;
import io.keel.meta.cluster.ClusterSecrets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiServerTest {
    private static final String PASSWORD = "correct horse battery";
    private static final FakeClusterService service = new FakeClusterService();
    private static final MutableClock clock = new MutableClock(FakeClusterService.T0);
    private static final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static ClusterSecrets secrets;
    private static ApiServer server;
    private static HttpTestClient http;
    private static String token;

    @BeforeAll
    static void start() {
        SecureRandom random = new SecureRandom();
        secrets = new ClusterSecrets(new PasswordHasher(random).hash(PASSWORD.toCharArray()),
                SessionTokens.newSigningKey(random));
        service.secrets = secrets;
        service.nodeSecrets.put("n1", "s3cret:with:colons");
        server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-a", clock), service, registry).start();
        http = HttpTestClient.plain(server.port());
        token = login("superadmin", PASSWORD).get("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void reset() {
        service.failure = null;
        service.secrets = secrets;
        service.calls.clear();
    }

    private static JsonNode login(String user, String password) {
        HttpResponse<String> r = http.send("POST", "/api/v1/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static String bearer() {
        return "Bearer " + token;
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(messagePart);
        assertThat(body.get("details").isObject()).isTrue();
    }

    @Test
    void healthIsPublic() {
        HttpResponse<String> r = http.get("/api/v1/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ok");
        assertThat(json(r).get("nodeId").asText()).isEqualTo("node-a");
    }

    @Test
    void loginTokenOpensProtectedRoutes() {
        JsonNode login = login("superadmin", PASSWORD);
        assertThat(login.get("username").asText()).isEqualTo("superadmin");
        assertThat(login.get("expiresAt").asText()).isEqualTo("2026-01-02T15:04:05Z"); // T0 + 12h, ISO-8601

        HttpResponse<String> r = http.get("/api/v1/cluster", "Authorization", "Bearer " + login.get("token").asText());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode cluster = json(r);
        assertThat(cluster.get("id").asText()).isEqualTo("c1");
        assertThat(cluster.get("createdAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(cluster.get("name").isNull()).isTrue();
        assertThat(cluster.at("/metadata/members/0/raftPort").asInt()).isEqualTo(9872);
    }

    @Test
    void badLoginsGetOneMessage() {
        String wrongPassword = "{\"username\":\"superadmin\",\"password\":\"nope\"}";
        String wrongUser = "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}";
        assertError(http.send("POST", "/api/v1/login", wrongPassword), 401, "unauthorized", "invalid username or password");
        assertError(http.send("POST", "/api/v1/login", wrongUser), 401, "unauthorized", "invalid username or password");
        assertError(http.send("POST", "/api/v1/login", "{\"username\":\"superadmin\"}"), 400, "invalid", "required");
    }

    @Test
    void loginBeforeBootstrapIsNotInitialised() {
        service.secrets = null;
        assertError(http.send("POST", "/api/v1/login", "{\"username\":\"superadmin\",\"password\":\"x\"}"),
                503, "not_initialised", "not initialised");
        assertError(http.get("/api/v1/cluster", "Authorization", bearer()), 503, "not_initialised", "not initialised");
    }

    @Test
    void missingOrMalformedCredentialsAreRefused() {
        HttpResponse<String> none = http.get("/api/v1/nodes");
        assertError(none, 401, "unauthorized", "missing bearer token");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertError(http.get("/api/v1/nodes", "Authorization", "Basic Zm9vOmJhcg=="), 401, "unauthorized", "malformed Authorization header");
        assertError(http.get("/api/v1/nodes", "Authorization", "Bearer not-a-token"), 401, "unauthorized", "malformed");
        assertThat(http.send("HEAD", "/api/v1/nodes", null).statusCode()).isEqualTo(401);
        assertThat(service.calls).isEmpty();
        assertThat(http.send("HEAD", "/api/v1/nodes", null, "Authorization", bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void tamperedTokenHasBadSignature() {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("superadmin", "superadmiN").getBytes(StandardCharsets.UTF_8)) + "." + parts[1];
        assertError(http.get("/api/v1/nodes", "Authorization", "Bearer " + forged), 401, "unauthorized", "bad signature");

        // Same payload signed with another cluster's key.
        String otherKey = SessionTokens.newSigningKey(new SecureRandom());
        String foreign = new SessionTokens(clock).issue(otherKey, "superadmin", Duration.ofHours(1)).token();
        assertError(http.get("/api/v1/nodes", "Authorization", "Bearer " + foreign), 401, "unauthorized", "bad signature");
    }

    @Test
    void expiredTokenIsRefused() {
        clock.advance(Duration.ofHours(12).plusSeconds(1));
        try {
            assertError(http.get("/api/v1/nodes", "Authorization", bearer()), 401, "unauthorized", "expired");
        } finally {
            clock.advance(Duration.ofHours(12).plusSeconds(1).negated());
        }
        assertThat(http.get("/api/v1/nodes", "Authorization", bearer()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyProtectedRouteRequiresItsCredential() {
        for (Route route : server.routes()) {
            if (route.access() == Access.PUBLIC) {
                continue;
            }
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            HttpResponse<String> r = http.send(route.method().name(), path, "{}");
            assertThat(r.statusCode()).as(route.toString()).isEqualTo(401);
        }
        assertThat(service.calls).isEmpty();
    }

    @Test
    void apiExceptionKeepsStatusCodeAndDetails() {
        service.failure = ApiException.quorumLost(1, 3);
        HttpResponse<String> r = http.get("/api/v1/cluster", "Authorization", bearer());
        assertError(r, 503, "quorum_lost", "1 of 3");
        assertThat(json(r).get("details").get("up").asInt()).isEqualTo(1);
        assertThat(json(r).get("details").get("total").asInt()).isEqualTo(3);

        service.failure = ApiException.notFound("no node x");
        assertError(http.get("/api/v1/nodes/x", "Authorization", bearer()), 404, "not_found", "no node x");
    }

    @Test
    void unexpectedExceptionIsInternalAndLogged() {
        service.failure = new IllegalStateException("boom with internals");
        try (LogCapture log = new LogCapture("io.keel.api.Errors")) {
            HttpResponse<String> r = http.get("/api/v1/nodes", "Authorization", bearer());
            assertError(r, 500, "internal", "internal error");
            assertThat(r.body()).doesNotContain("boom");
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("ERROR GET /api/v1/nodes failed").contains("boom with internals");
        }
    }

    @Test
    void secretsNeverReachTheLog() {
        String tokenPart = token.substring(0, 20);
        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.keel.api.Errors")) {
            http.send("POST", "/api/v1/login", "{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "x\"}");
            HttpResponse<String> quoted = http.send("POST", "/api/v1/login", "{\"username\":\"superadmin\",\"password\": hunter2}");
            assertError(quoted, 400, "invalid", "malformed JSON");
            assertThat(quoted.body()).doesNotContain("hunter2");
            http.send("POST", "/api/v1/internal/join", "{\"token\": sekrit-join}");
            http.send("POST", "/api/v1/internal/heartbeat", "{}", "Authorization", "Node n1:s3cret:with:colons");
            http.send("POST", "/api/v1/internal/heartbeat", "{}", "Authorization", "Node n1:guessed-secret");
            service.failure = new IllegalStateException("boom");
            http.get("/api/v1/nodes", "Authorization", bearer());
            assertThat(log.lines()).isNotEmpty().noneSatisfy(line -> assertThat(line)
                    .containsAnyOf(PASSWORD, "hunter2", "sekrit", "s3cret", "guessed-secret", tokenPart));
        }
    }

    @Test
    void badBodiesAreInvalid() {
        String auth = bearer();
        assertError(http.send("POST", "/api/v1/locations", "{\"type\":", "Authorization", auth), 400, "invalid", "malformed JSON");
        HttpResponse<String> unknown = http.send("POST", "/api/v1/locations",
                "{\"type\":\"room\",\"name\":\"a\",\"colour\":\"red\"}", "Authorization", auth);
        assertError(unknown, 400, "invalid", "unknown field \"colour\"");
        assertThat(unknown.body()).doesNotContain("io.keel");
        assertError(http.send("POST", "/api/v1/locations", "", "Authorization", auth), 400, "invalid", "request body is required");
        assertError(http.send("POST", "/api/v1/locations", "{\"type\":\"room\",\"name\":\"a\"} {}", "Authorization", auth),
                400, "invalid", "");
        HttpResponse<String> wrongType = http.send("PUT", "/api/v1/nodes/n1/disks/sda/role",
                "{\"role\":\"storage\",\"tier\":\"one\"}", "Authorization", auth);
        assertError(wrongType, 400, "invalid", "tier");
        assertThat(json(wrongType).get("details").get("field").asText()).isEqualTo("tier");
        assertThat(service.calls).isEmpty();
    }

    @Test
    void routesCallTheServiceWithTheirStatus() {
        String auth = bearer();
        assertThat(http.send("POST", "/api/v1/cluster", "{\"name\":\"main\"}", "Authorization", auth).statusCode()).isEqualTo(201);
        HttpResponse<String> created = http.send("POST", "/api/v1/locations", "{\"type\":\"room\",\"name\":\"R1\"}", "Authorization", auth);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("name").asText()).isEqualTo("R1");
        HttpResponse<String> deleted = http.send("DELETE", "/api/v1/locations/x1", null, "Authorization", auth);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(http.send("PATCH", "/api/v1/locations/x1", "{\"name\":\"R2\"}", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.send("PUT", "/api/v1/nodes/n1/location", "{\"rack\":\"k1\"}", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/disks?node=n7", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/disks", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/nodes/n1/disks", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/join-token", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(service.calls).contains("delete x1", "disks n7", "disks null", "disks n1", "joinToken");
    }

    @Test
    void releaseAndCancelRelease() {
        HttpResponse<String> released = http.send("POST", "/api/v1/nodes/n2/release", null, "Authorization", bearer());
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(json(released).get("release").asText()).isEqualTo("draining since 2026-01-02T03:04:05Z");
        HttpResponse<String> cancelled = http.send("DELETE", "/api/v1/nodes/n2/release", null, "Authorization", bearer());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(json(cancelled).get("release").isNull()).isTrue();
        assertThat(service.calls).containsExactly("release n2", "cancelRelease n2");

        service.failure = ApiException.conflict("node node-n2 is already being released");
        assertError(http.send("POST", "/api/v1/nodes/n2/release", null, "Authorization", bearer()),
                409, "conflict", "already being released");
    }

    @Test
    void volumesAreUnavailableWithoutAVolumeService() {
        assertError(http.get("/api/v1/volumes", "Authorization", bearer()), 503, "unavailable",
                "volumes are not served by this node yet");
        assertError(http.send("DELETE", "/api/v1/volumes/v1", null, "Authorization", bearer()), 503, "unavailable",
                "volumes are not served by this node yet");
        assertError(http.send("POST", "/api/v1/volumes", "{\"name\":\"db\",\"size\":\"1G\"}", "Authorization", bearer()),
                503, "unavailable", "not served");
    }

    @Test
    void optionalBodiesDefaultToEmptyRequests() {
        String auth = bearer();
        assertThat(http.send("POST", "/api/v1/nodes/n2/join-cluster", null, "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/join-token/rotate", null, "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/join-token/rotate", "{\"ttlSeconds\":60}", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(service.calls).containsExactly(new JoinClusterRequest(null), new RotateTokenRequest(null), new RotateTokenRequest(60L));
    }

    @Test
    void unknownRouteAndWrongMethodAreJson() {
        assertError(http.get("/api/v1/nope"), 404, "not_found", "/api/v1/nope");
        HttpResponse<String> r = http.send("DELETE", "/api/v1/cluster", null, "Authorization", bearer());
        assertError(r, 405, "method_not_allowed", "DELETE");
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("GET", "POST"));
    }

    @Test
    void jettyLevelErrorsAreJsonToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 400").contains("application/json").contains("\"code\":\"invalid\"");
        }
    }

    @Test
    void nodeCredentialGuardsHeartbeat() {
        String body = "{\"nodeId\":\"n1\",\"sentAtMillis\":5}";
        assertThat(http.send("POST", "/api/v1/internal/heartbeat", body, "Authorization", "Node n1:s3cret:with:colons")
                .statusCode()).isEqualTo(204);
        assertThat(service.calls).containsExactly(new HeartbeatRequest("n1", 5, null));
        // A node whose HA local manager does not act says so; the field is absent otherwise.
        String idle = "{\"nodeId\":\"n1\",\"sentAtMillis\":6,\"haActing\":false}";
        assertThat(http.send("POST", "/api/v1/internal/heartbeat", idle, "Authorization", "Node n1:s3cret:with:colons")
                .statusCode()).isEqualTo(204);
        assertThat(service.calls).last().isEqualTo(new HeartbeatRequest("n1", 6, false));

        assertError(http.send("POST", "/api/v1/internal/heartbeat", body, "Authorization", "Node n1:wrong"),
                401, "unauthorized", "invalid node credential");
        assertError(http.send("POST", "/api/v1/internal/heartbeat", body), 401, "unauthorized", "missing node credential");
        assertError(http.send("POST", "/api/v1/internal/heartbeat", body, "Authorization", bearer()),
                401, "unauthorized", "malformed");
        assertError(http.send("POST", "/api/v1/internal/heartbeat", "{\"nodeId\":\"n9\",\"sentAtMillis\":5}",
                "Authorization", "Node n1:s3cret:with:colons"), 403, "forbidden", "own heartbeat");
        assertThat(service.calls).hasSize(2);
    }

    @Test
    void joinIsAuthenticatedByItsToken() {
        String join = "{\"token\":\"%s\",\"name\":\"n2\",\"address\":\"10.0.0.2\",\"apiPort\":8443,\"raftPort\":9872,"
                + "\"inventory\":{\"hostname\":\"h2\",\"os\":\"linux\",\"cpuModel\":\"x\",\"cpuCores\":4,\"memoryBytes\":1,"
                + "\"interfaces\":[],\"disks\":[{\"id\":\"sda\",\"kind\":\"block\",\"device\":\"/dev/sda\",\"sizeBytes\":1,"
                + "\"rotational\":false,\"model\":null,\"serial\":null,\"system\":true}],\"iscsiPort\":3260}}";
        HttpResponse<String> ok = http.send("POST", "/api/v1/internal/join", join.formatted("good-join-token"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).get("nodeSecret").asText()).isEqualTo("node-secret");
        assertError(http.send("POST", "/api/v1/internal/join", join.formatted("bad")), 401, "unauthorized", "join token");
    }

    @Test
    void metricsCountRequestsByRouteTemplate() {
        http.get("/api/v1/health");
        http.get("/api/v1/nodes/n42", "Authorization", bearer());
        http.get("/no/such/thing");
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        assertThat(r.body())
                .contains("keel_api_requests_seconds_count{method=\"GET\",route=\"/api/v1/health\",status=\"200\"}")
                .contains("route=\"/api/v1/nodes/{node}\",status=\"200\"")
                .contains("route=\"unmatched\",status=\"404\"")
                .doesNotContain("n42");
    }

    @Test
    void openApiIsServed() {
        HttpResponse<String> r = http.get("/api/v1/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("openapi").asText()).isEqualTo("3.1.0");
    }
}
