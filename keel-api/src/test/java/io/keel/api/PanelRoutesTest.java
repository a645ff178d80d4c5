package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.panel.PanelAssets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The panel's files at the API port's root, from this module's test resources (a stand-in build). */
class PanelRoutesTest {
    private static final String HTML = "Accept: text/html";
    private static ApiServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        server = new ApiServer(new ApiConfig("127.0.0.1", 0, null, null, "node-a",
                new MutableClock(FakeClusterService.T0)), new FakeClusterService(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        http = HttpTestClient.plain(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRootServesTheAppWithItsSecurityHeaders() {
        HttpResponse<String> r = http.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Keel test panel");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
    }

    @Test
    void hashedAssetsAreCachedForGood() {
        HttpResponse<String> r = http.get("/assets/app-1a2b3c.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("keel panel test asset");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/javascript"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
    }

    @Test
    void anAppPageAskedForAsHtmlGetsTheAppSoReloadsWork() {
        HttpResponse<String> r = http.get("/infrastructure/nodes/node2", HTML.split(": "));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Keel test panel");
    }

    @Test
    void unknownFilesAndApiPathsKeepTheirJson404() {
        for (String path : new String[] {"/assets/missing.js", "/api/v1/nope", "/api/v1/nope/deeper"}) {
            HttpResponse<String> r = http.get(path, HTML.split(": "));
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("code").asText()).as(path).isEqualTo("not_found");
        }
    }

    @Test
    void writesAndTraversalsAreNeverThePanels() {
        assertThat(http.send("POST", "/", "{}").statusCode()).isEqualTo(404);
        assertThat(http.send("DELETE", "/assets/app-1a2b3c.js", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/assets/../../io/keel/api/openapi.json").statusCode()).isNotEqualTo(200);
        assertThat(http.get("/assets/%2e%2e/%2e%2e/io/keel/api/openapi.json").statusCode()).isNotEqualTo(200);
    }

    @Test
    void aBuildWithoutThePanelSaysSo() {
        assertThat(new PanelAssets(PanelRoutesTest.class.getClassLoader()).built()).isTrue();
        assertThat(new PanelAssets(new URLClassLoader(new URL[0], null)).built()).isFalse();
    }
}
