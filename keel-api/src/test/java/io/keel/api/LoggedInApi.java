package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.meta.cluster.ClusterSecrets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A started server over fakes with a superadmin session, for route tests: what each of them
 * would otherwise set up again. (VolumeRoutesTest and SnapshotRoutesTest predate it.)
 */
final class LoggedInApi implements AutoCloseable {
    private static final String PASSWORD = "correct horse battery";

    private final ApiServer server;
    final HttpTestClient http;
    private final String auth;

    LoggedInApi(FakeClusterService cluster, ComputeService compute) {
        this(cluster, services -> services.withCompute(compute));
    }

    /** A server with fake cluster, volume and snapshot services, and what {@code more} adds or replaces. */
    LoggedInApi(FakeClusterService cluster, UnaryOperator<ApiServices> more) {
        Objects.requireNonNull(cluster, "cluster");
        SecureRandom random = new SecureRandom();
        cluster.secrets = new ClusterSecrets(new PasswordHasher(random).hash(PASSWORD.toCharArray()),
                SessionTokens.newSigningKey(random));
        server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-a", new MutableClock(FakeClusterService.T0)),
                more.apply(ApiServices.of(cluster).withVolumes(new FakeVolumeService())
                        .withSnapshots(new FakeSnapshotService(new FakeVolumeService()))),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        http = HttpTestClient.plain(server.port());
        HttpResponse<String> login = http.send("POST", "/api/v1/login",
                "{\"username\":\"superadmin\",\"password\":\"" + PASSWORD + "\"}");
        auth = "Bearer " + json(login).get("token").asText();
    }

    HttpResponse<String> send(String method, String path, String body) {
        return http.send(method, path, body, "Authorization", auth);
    }

    /** The Authorization header value of the session. */
    String authorization() {
        return auth;
    }

    static void assertError(HttpResponse<String> r, int status, String code, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("code").asText()).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isEqualTo(message);
    }

    @Override
    public void close() {
        server.close();
    }
}
