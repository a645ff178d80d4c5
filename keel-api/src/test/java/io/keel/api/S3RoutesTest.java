package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.UpdateS3ClusterRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The S3 control-plane routes over real HTTP against a fake service. */
class S3RoutesTest {
    private static final String S3 = "/api/v1/s3";
    private static final String KEY_PEM = "-----BEGIN PRIVATE KEY-----\\nTOP-SECRET-KEY-MATERIAL\\n-----END PRIVATE KEY-----";
    private static final String KEY_MARKER = "TOP-SECRET-KEY-MATERIAL";
    private static final FakeS3Service s3 = new FakeS3Service();
    private static LoggedInApi api;

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), services -> services.withS3(s3));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        s3.reset();
    }

    @Test
    void createShowUpdateAndDeleteTheCluster() {
        HttpResponse<String> created = api.send("POST", S3 + "/cluster", "{\"nodes\":[\"node1\",\"node2\"],"
                + "\"policy\":\"single\",\"endpoints\":[\"s3.example.com\"],\"selfSignedCertificate\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode c = json(created);
        assertThat(c.get("protocol").asText()).isEqualTo("HTTPS");
        assertThat(c.get("httpsPort").asInt()).isEqualTo(7443);
        assertThat(c.get("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(c.get("certificateNames").get(1).asText()).isEqualTo("*.s3.example.com");
        assertThat(c.get("nodes").get(0).get("nodeName").asText()).isEqualTo("node1");
        assertThat(c.has("privateKeyPem")).isFalse();
        assertThat(s3.calls).containsExactly(new CreateS3ClusterRequest(List.of("node1", "node2"), "single",
                List.of("s3.example.com"), null, null, null, true, null, null));

        HttpResponse<String> shown = api.send("GET", S3 + "/cluster", null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(json(shown).get("protocol").asText()).isEqualTo("BOTH");

        HttpResponse<String> updated = api.send("PATCH", S3 + "/cluster", "{\"protocol\":\"http\",\"httpPort\":8080}");
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).get("certificatePem").isNull()).isTrue();
        assertThat(s3.calls).contains(new UpdateS3ClusterRequest(null, null, "http", 8080, null, null, null, null));

        assertError(api.send("DELETE", S3 + "/cluster", null), 409, "conflict",
                "the S3 cluster still has 1 bucket(s) (\"photos\")");
    }

    @Test
    void clusterRequestsAreCheckedForShapeOnly() {
        String ok = "\"policy\":\"single\",\"endpoints\":[\"s3.example.com\"]";
        assertInvalid(api.send("POST", S3 + "/cluster", "{" + ok + "}"), "nodes is required: at least one node to run a gateway on, two or more so that losing one"
                + " leaves a gateway", "nodes");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"],\"endpoints\":[\"s3.example.com\"]}"),
                "policy is required", "policy");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"],\"policy\":\"single\",\"endpoints\":[]}"),
                "endpoints is required: at least one DNS name clients address, such as s3.example.com", "endpoints");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\",\" \"]," + ok + "}"), "nodes[1] is required",
                "nodes[1]");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"]," + ok + ",\"protocol\":\"FTP\"}"),
                "protocol must be HTTP, HTTPS or BOTH, not 'FTP'", "protocol");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"]," + ok + ",\"httpsPort\":70000}"),
                "httpsPort must be from 1 to 65535, not 70000", "httpsPort");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"]," + ok + ",\"certificatePem\":\"x\"}"),
                "privateKeyPem is required with certificatePem: the gateways serve HTTPS with both", "privateKeyPem");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"]," + ok + ",\"privateKeyPem\":\"" + KEY_PEM
                + "\"}"), "privateKeyPem given without certificatePem", "privateKeyPem");
        assertInvalid(api.send("POST", S3 + "/cluster", "{\"nodes\":[\"n1\"]," + ok + ",\"selfSignedCertificate\":true,"
                + "\"certificatePem\":\"x\",\"privateKeyPem\":\"" + KEY_PEM + "\"}"), "selfSignedCertificate and certificatePem contradict each other: give one of them",
                "selfSignedCertificate");
        assertInvalid(api.send("PATCH", S3 + "/cluster", "{\"nodes\":[]}"), "nodes is empty: leave it out to keep the current nodes", "nodes");
        assertInvalid(api.send("PATCH", S3 + "/cluster", "{\"httpPort\":0}"), "httpPort must be from 1 to 65535, not 0",
                "httpPort");
        assertError(api.send("PATCH", S3 + "/cluster", null), 400, "invalid", "request body is required");
        assertThat(s3.calls).isEmpty();
    }

    @Test
    void thePrivateKeyStaysOutOfErrorsAndTheLog() {
        try (LogCapture log = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.keel.api.Errors")) {
            HttpResponse<String> malformed = api.send("POST", S3 + "/cluster",
                    "{\"nodes\":[\"n1\"],\"privateKeyPem\": " + KEY_MARKER + "}");
            assertError(malformed, 400, "invalid", "malformed JSON");
            HttpResponse<String> wrongType = api.send("PATCH", S3 + "/cluster", "{\"privateKeyPem\":[\"" + KEY_MARKER + "\"]}");
            assertThat(wrongType.statusCode()).isEqualTo(400);
            s3.quoteRequestInFailure = true;
            HttpResponse<String> failed = api.send("PATCH", S3 + "/cluster", "{\"certificatePem\":\"c\",\"privateKeyPem\":\""
                    + KEY_PEM + "\"}");
            assertError(failed, 500, "internal", "internal error");
            assertThat(List.of(malformed.body(), wrongType.body(), failed.body()))
                    .noneSatisfy(body -> assertThat(body).contains(KEY_MARKER));
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("PATCH /api/v1/s3/cluster",
                    "privateKeyPem=***"));
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(KEY_MARKER));
        }
    }

    @Test
    void usersAreCreatedListedShownSuspendedResumedAndDeleted() {
        HttpResponse<String> created = api.send("POST", S3 + "/users", "{\"email\":\"bob@example.com\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("id").asText()).isEqualTo("u-2");
        assertThat(s3.calls).containsExactly(new CreateS3UserRequest("bob@example.com", null));
        assertError(api.send("POST", S3 + "/users", "{\"email\":\"Alice@example.com\"}"), 409, "conflict",
                "an S3 user with e-mail address \"alice@example.com\" already exists");
        assertInvalid(api.send("POST", S3 + "/users", "{\"displayName\":\"Bob\"}"), "email is required", "email");
        assertInvalid(api.send("POST", S3 + "/users", "{\"email\":\"b@example.com\",\"displayName\":\" \"}"),
                "displayName is blank: leave it out for the part of the e-mail address before '@'", "displayName");

        assertThat(json(api.send("GET", S3 + "/users", null))).hasSize(1);
        HttpResponse<String> byEmail = api.send("GET", S3 + "/users/alice@example.com", null);
        assertThat(byEmail.statusCode()).as(byEmail.body()).isEqualTo(200);
        assertThat(json(byEmail).get("activeKeys").asInt()).isEqualTo(1);
        assertThat(json(api.send("POST", S3 + "/users/u-1/suspend", null)).get("suspended").asBoolean()).isTrue();
        assertThat(json(api.send("POST", S3 + "/users/u-1/resume", null)).get("suspended").asBoolean()).isFalse();
        HttpResponse<String> deleted = api.send("DELETE", S3 + "/users/u-1", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertError(api.send("GET", S3 + "/users/nobody", null), 404, "not_found", "no S3 user nobody");
        assertThat(s3.calls).contains("user alice@example.com", "suspend u-1", "resume u-1", "delete u-1");
    }

    @Test
    void aNewKeysSecretIsAnsweredOnceAndNotCached() {
        HttpResponse<String> created = api.send("POST", S3 + "/keys", "{\"user\":\"alice@example.com\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(created).get("accessKeyId").asText()).isEqualTo(FakeS3Service.KEY);
        assertThat(json(created).get("secretAccessKey").asText()).isEqualTo(FakeS3Service.SECRET);
        assertThat(s3.calls).containsExactly(new CreateS3AccessKeyRequest("alice@example.com"));
        assertInvalid(api.send("POST", S3 + "/keys", "{}"), "user is required", "user");

        HttpResponse<String> all = api.send("GET", S3 + "/keys", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains(FakeS3Service.KEY).doesNotContain(FakeS3Service.SECRET);
        api.send("GET", S3 + "/keys?user=u-1", null);
        assertThat(s3.calls).contains("keys null", "keys u-1");

        HttpResponse<String> revoked = api.send("POST", S3 + "/keys/" + FakeS3Service.KEY + "/revoke", null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(json(revoked).get("state").asText()).isEqualTo("REVOKED");
        assertThat(json(revoked).get("revokedAt").asText()).isEqualTo("2026-01-02T03:05:05Z");
        assertError(api.send("POST", S3 + "/keys/KEELNOPE/revoke", null), 404, "not_found", "no access key KEELNOPE");
    }

    @Test
    void bucketsAreListed() {
        HttpResponse<String> r = api.send("GET", S3 + "/buckets", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get(0).get("name").asText()).isEqualTo("photos");
        assertThat(json(r).get(0).get("ownerEmail").asText()).isEqualTo("alice@example.com");
        assertThat(json(r).get(0).get("versioning").asText()).isEqualTo("ENABLED");
        s3.failure = ApiException.quorumLost(1, 3);
        assertError(api.send("GET", S3 + "/buckets", null), 503, "quorum_lost", "metadata quorum lost (1 of 3 up)");
    }

    @Test
    void everyRouteNeedsASession() {
        for (String[] route : new String[][] {{"GET", S3 + "/cluster"}, {"POST", S3 + "/cluster"},
                {"PATCH", S3 + "/cluster"}, {"DELETE", S3 + "/cluster"}, {"GET", S3 + "/users"}, {"POST", S3 + "/users"},
                {"GET", S3 + "/users/u-1"}, {"DELETE", S3 + "/users/u-1"}, {"POST", S3 + "/users/u-1/suspend"},
                {"POST", S3 + "/users/u-1/resume"}, {"GET", S3 + "/keys"}, {"POST", S3 + "/keys"},
                {"POST", S3 + "/keys/" + FakeS3Service.KEY + "/revoke"}, {"GET", S3 + "/buckets"}}) {
            HttpResponse<String> r = api.http.send(route[0], route[1], route[0].equals("GET") ? null : "{}");
            assertThat(r.statusCode()).as(String.join(" ", route)).isEqualTo(401);
            HttpResponse<String> forged = api.http.send(route[0], route[1], null, "Authorization", "Bearer forged.token");
            assertThat(forged.statusCode()).as(String.join(" ", route)).isEqualTo(401);
        }
        assertThat(s3.calls).isEmpty();
    }

    @Test
    void aNodeThatDoesNotServeS3Answers503() {
        try (LoggedInApi plain = new LoggedInApi(new FakeClusterService(), services -> services)) {
            assertError(plain.send("GET", S3 + "/cluster", null), 503, "unavailable",
                    "the S3 control plane is not served by this node");
            assertError(plain.send("POST", S3 + "/keys", "{\"user\":\"u-1\"}"), 503, "unavailable",
                    "the S3 control plane is not served by this node");
        }
    }

    private static void assertInvalid(HttpResponse<String> r, String message, String field) {
        assertError(r, 400, "invalid", message);
        assertThat(json(r).get("details").get("field").asText()).isEqualTo(field);
    }
}
