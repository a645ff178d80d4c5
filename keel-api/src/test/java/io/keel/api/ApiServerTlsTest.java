package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.api.tls.SelfSignedCertificate;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsOnlyWithTheGeneratedCertificate() throws Exception {
        Path keystore = dir.resolve("api.p12");
        char[] password = "changeit-too".toCharArray();
        X509Certificate cert = SelfSignedCertificate.create(keystore, password, List.of("localhost", "127.0.0.1"));
        TlsConfig tls = new TlsConfig(keystore, new String(password));
        FakeClusterService service = new FakeClusterService();
        try (ApiServer server = new ApiServer(new ApiConfig("127.0.0.1", 0, tls, null, "node-tls"), service,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(trusting(keystore, password)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpTestClient https = new HttpTestClient(trusting, "https://127.0.0.1:" + server.port());
            HttpResponse<String> r = https.get("/api/v1/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(HttpTestClient.json(r).get("nodeId").asText()).isEqualTo("node-tls");
            assertThat(r.sslSession()).hasValueSatisfying(s -> {
                try {
                    assertThat(s.getPeerCertificates()[0]).isEqualTo(cert);
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    throw new AssertionError(e);
                }
            });

            HttpTestClient plain = HttpTestClient.plain(server.port());
            // Jetty's TLS connection sees no ClientHello and closes: no HTTP answer at all.
            assertThatThrownBy(() -> plain.get("/api/v1/health")).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void unreadableKeystoreFailsStart() throws Exception {
        Path keystore = dir.resolve("api.p12");
        SelfSignedCertificate.create(keystore, "right".toCharArray(), List.of("localhost"));
        TlsConfig tls = new TlsConfig(keystore, "wrong");
        try (ApiServer server = new ApiServer(new ApiConfig("127.0.0.1", 0, tls, null, "n"), new FakeClusterService(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the API").hasMessageContaining("password");
        }
    }

    @Test
    void portInUseFailsStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ApiServer first = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "a"), new FakeClusterService(), registry).start();
                ApiServer second = new ApiServer(new ApiConfig("127.0.0.1", first.port(), null, null, "b"),
                        new FakeClusterService(), registry)) {
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the API");
            assertThatThrownBy(second::start).hasMessageContaining("closed");
        }
    }

    private static SSLContext trusting(Path keystore, char[] password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
