package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.EmbeddedCluster;
import io.keel.node.embedded.EmbeddedNode;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin panel in a real browser against three real nodes (issue 10): keel-ui's Playwright
 * journey ({@code keel-ui/e2e/journey.mjs}, Debian's chromium) logs in, creates a storage policy
 * and a volume, a target group with that volume as a LUN (and waits for its active path), an S3
 * cluster, user, key and bucket and uploads and downloads an object, uploads the test guest's
 * image and boots a VM from it and reads its serial console, enters and leaves maintenance mode,
 * and opens the dashboard; afterwards the API must show what it created. A second, short journey
 * goes over HTTPS to a lone node started with {@code --tls} (self-signed certificate), which is in no
 * storage cluster yet, and creates one there in the browser. It saves a screenshot of each screen
 * into {@code docs/screenshots/}, which the README links.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class AdminPanelIT {
    private static final Path ROOT = Path.of(System.getProperty("keel.root", "..")).toAbsolutePath().normalize();
    private static final Path UI = ROOT.resolve("keel-ui");

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    /** One node bootstrapped with --tls and left outside any storage cluster. */
    static EmbeddedCluster fresh;
    static EmbeddedNode freshNode;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        // Started now, it boots while the main journey runs.
        int[] ports = LocalCluster.freePorts(4);
        freshNode = new EmbeddedNode("lone1", dir.resolve("fresh").resolve("lone1"), ports[0], ports[1], ports[2],
                ports[3], 3);
        fresh = new EmbeddedCluster(dir.resolve("fresh"), List.of(freshNode), LocalCluster.launcher(), "3s");
        fresh.start(freshNode, List.of("--bootstrap", "--tls"));
    }

    @AfterAll
    static void down() throws IOException {
        if (fresh != null) {
            fresh.down(new PrintWriter(System.out, true), Duration.ofSeconds(15));
        }
        if (cluster != null) {
            cluster.close("AdminPanelIT");
        }
    }

    @Test
    void theJourneyInTheBrowser() throws Exception {
        String chromium = System.getenv().getOrDefault("KEEL_CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Debian's chromium (scripts/test installs it)").isExecutable();
        assertThat(UI.resolve("node_modules/playwright-core")).as("keel-ui's npm packages (the build installs them)")
                .isDirectory();
        Path password = dir.resolve("password");
        Files.writeString(password, cluster.embedded().password(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path shots = Files.createDirectories(ROOT.resolve("docs/screenshots"));

        List<String> command = new ArrayList<>(List.of("node", "e2e/journey.mjs", "--url", cluster.node(1).apiUrl(),
                "--user", EmbeddedCluster.USER, "--password-file", password.toString(), "--screenshots", shots.toString(),
                "--s3", "--image", GuestImage.locate().bootDiskQcow2().toString(), "--image-format", "qcow2",
                // Typed into the serial console until the guest's answer shows: keystrokes reach the
                // guest and its output comes back (its boot banner may come before the console).
                "--console-type", "echo from-the-panel", "--console-expect", "ECHO from-the-panel",
                "--console-timeout", "180"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(UI.toFile()).redirectErrorStream(true);
        pb.environment().put("KEEL_CHROMIUM", chromium);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(11, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        System.out.print(out); // the steps passed, for the CI log

        // What the browser did, seen through the API: the policy and the volume exist as asked.
        ApiSession api = cluster.api(2);
        ApiSession.Reply policy = api.get("/api/v1/policies/e2e-r2");
        assertThat(policy.status()).as(policy.message()).isEqualTo(200);
        assertThat(policy.body().path("replicas").asInt()).isEqualTo(2);
        ApiSession.Reply volume = api.get("/api/v1/volumes/e2e-vol");
        assertThat(volume.status()).as(volume.message()).isEqualTo(200);
        assertThat(volume.body().path("sizeBytes").asLong()).isEqualTo(1L << 30);
        ApiSession.Reply group = api.get("/api/v1/iscsi/groups/e2e-san");
        assertThat(group.status()).as(group.message()).isEqualTo(200);
        ApiSession.Reply vm = api.get("/api/v1/vms/e2e-vm");
        assertThat(vm.status()).as(vm.message()).isEqualTo(200);
        assertThat(vm.body().path("status").asText()).isEqualTo("ACTIVE");
        for (String shot : List.of("nodes.png", "policies.png", "volumes.png", "events.png", "iscsi.png", "s3.png",
                "s3-overview.png", "images.png", "vm-console.png", "vm-vnc.png", "vm-monitoring.png", "maintenance.png",
                "dashboard.png")) {
            assertThat(shots.resolve(shot)).as(shot).isNotEmptyFile();
        }
        ApiSession.Reply health = api.get("/api/v1/storage/health");
        assertThat(health.status()).as(health.message()).isEqualTo(200);
        assertThat(health.body().path("healthyChunks").asLong()).as(health.body().toString()).isPositive();
        assertThat(health.body().path("degradedChunks").asLong()).isZero();
        ApiSession.Reply usage = api.get("/api/v1/s3/usage");
        assertThat(usage.status()).as(usage.message()).isEqualTo(200);
        assertThat(usage.body().path("objects").asLong()).as(usage.body().toString()).isPositive();
    }

    @Test
    void aStorageClusterIsCreatedInTheBrowserOverHttps() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trustingEveryCertificate())
                .connectTimeout(Duration.ofSeconds(2)).build();
        String base = "https://127.0.0.1:" + freshNode.apiPort();
        Poll.until(Duration.ofSeconds(90), "the lone TLS node to answer on " + base, () -> {
            try {
                return https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        Path password = dir.resolve("fresh-password");
        Files.writeString(password, fresh.password(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path shots = Files.createDirectories(ROOT.resolve("docs/screenshots"));
        String out = journey(List.of("node", "e2e/journey.mjs", "--url", base, "--user", EmbeddedCluster.USER,
                "--password-file", password.toString(), "--screenshots", shots.toString(), "--ignore-https-errors",
                "--fresh-node", "e2e-tls"), 3);
        System.out.print(out);

        String login = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + EmbeddedCluster.USER + "\",\"password\":\"" + fresh.password() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String token = new ObjectMapper().readTree(login).path("token").asText();
        HttpResponse<String> c = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cluster"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(c.body()).path("name").asText()).as(c.body()).isEqualTo("e2e-tls");
        for (String shot : List.of("storage-cluster-create.png", "storage-cluster-created.png")) {
            assertThat(shots.resolve(shot)).as(shot).isNotEmptyFile();
        }
    }

    /** Runs a journey in keel-ui; its output, once it passed within {@code minutes}. */
    private static String journey(List<String> command, int minutes) throws Exception {
        String chromium = System.getenv().getOrDefault("KEEL_CHROMIUM", "/usr/bin/chromium");
        ProcessBuilder pb = new ProcessBuilder(command).directory(UI.toFile()).redirectErrorStream(true);
        pb.environment().put("KEEL_CHROMIUM", chromium);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(p.exitValue()).as(out + "\nthe lone node's last output:\n" + freshNode.outputTail(30)).isZero();
        return out;
    }

    /** The lone node's certificate is self-signed and made at its first start: this test trusts it blindly. */
    private static SSLContext trustingEveryCertificate() throws Exception {
        X509TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {all}, new SecureRandom());
        return ctx;
    }
}
