package io.keel.node.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * A small JSON client of one node's REST API, for {@code keel up} and the integration tests.
 * Administrators use the {@code keel} CLI instead.
 */
public final class ApiSession {
    /** An answer of the API: status and parsed JSON body (null when empty). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String errorCode() {
            return body == null ? null : body.path("code").asText(null);
        }

        public String message() {
            return body == null ? null : body.path("message").asText(null);
        }
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private volatile String token;

    public ApiSession(String baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** A session that reuses a token obtained earlier (e.g. the CLI's saved login). */
    public ApiSession(String baseUrl, String token) {
        this(baseUrl);
        this.token = token;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String token() {
        return token;
    }

    public Reply login(String user, String password) throws IOException {
        Reply r = call("POST", "/api/v1/login", json.createObjectNode().put("username", user).put("password", password));
        if (r.ok()) {
            token = r.body().path("token").asText();
        }
        return r;
    }

    public Reply get(String path) throws IOException {
        return call("GET", path, null);
    }

    public Reply post(String path, Object body) throws IOException {
        return call("POST", path, body);
    }

    public Reply put(String path, Object body) throws IOException {
        return call("PUT", path, body);
    }

    public Reply call(String method, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(150));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = resp.body().length == 0 ? null : json.readTree(resp.body());
            return new Reply(resp.statusCode(), parsed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** True when the node answers its health endpoint. */
    public boolean healthy() {
        try {
            return get("/api/v1/health").ok();
        } catch (IOException e) {
            return false;
        }
    }
}
