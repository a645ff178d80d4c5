package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.node.embedded.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node started with --tls serves its API over HTTPS only, with the certificate it generated. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TlsNodeIT {
    @TempDir
    Path dir;

    @Test
    void bootstrappedTlsNodeAnswersOverHttpsWithItsOwnCertificateAndNotOverHttp() throws Exception {
        int[] ports = LocalCluster.freePorts(2);
        Path data = dir.resolve("data");
        Process p = LocalCluster.launcher().start(List.of("--nbd-port", "0", "--bootstrap", "--tls", "--name", "secure1",
                "--data-dir", data.toString(), "--bind", "127.0.0.1",
                "--api-port", Integer.toString(ports[0]), "--raft-port", Integer.toString(ports[1])), dir, dir.resolve("node.out"));
        try {
            Path keystore = data.resolve("tls").resolve("node.p12");
            Poll.until(Duration.ofSeconds(60), "the node's certificate", () -> Files.exists(keystore) && Files.exists(data.resolve("identity.json")));
            String nodeId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data.resolve("identity.json").toFile())
                    .path("nodeId").asText();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                ks.load(in, nodeId.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(2)).build();
            URI health = URI.create("https://127.0.0.1:" + ports[0] + "/api/v1/health");
            Poll.until(Duration.ofSeconds(60), "HTTPS health", () -> {
                try {
                    return https.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            String password = Files.readString(data.resolve("initial-superadmin-password")).strip();
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + ports[0] + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"superadmin\",\"password\":\"" + password + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"token\"");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/api/v1/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(Files.readString(dir.resolve("node.out"))).doesNotContain(password);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
