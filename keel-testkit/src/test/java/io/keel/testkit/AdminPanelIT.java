package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin panel in a real browser against three real nodes (issue 10): keel-ui's Playwright
 * journey ({@code keel-ui/e2e/journey.mjs}, Debian's chromium) logs in and works through the
 * screens; afterwards the API must show what it created. It saves a screenshot of each screen into
 * {@code docs/screenshots/}, which the README links.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AdminPanelIT {
    private static final Path ROOT = Path.of(System.getProperty("keel.root", "..")).toAbsolutePath().normalize();
    private static final Path UI = ROOT.resolve("keel-ui");

    @TempDir
    static Path dir;

    static LocalCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
    }

    @AfterAll
    static void down() throws IOException {
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
                "--user", EmbeddedCluster.USER, "--password-file", password.toString(), "--screenshots", shots.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(UI.toFile()).redirectErrorStream(true);
        pb.environment().put("KEEL_CHROMIUM", chromium);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        // What the browser did, seen through the API: the policy and the volume exist as asked.
        ApiSession api = cluster.api(2);
        ApiSession.Reply policy = api.get("/api/v1/policies/e2e-r2");
        assertThat(policy.status()).as(policy.message()).isEqualTo(200);
        assertThat(policy.body().path("replicas").asInt()).isEqualTo(2);
        ApiSession.Reply volume = api.get("/api/v1/volumes/e2e-vol");
        assertThat(volume.status()).as(volume.message()).isEqualTo(200);
        assertThat(volume.body().path("sizeBytes").asLong()).isEqualTo(1L << 30);
        for (String shot : List.of("nodes.png", "policies.png", "volumes.png", "events.png")) {
            assertThat(shots.resolve(shot)).as(shot).isNotEmptyFile();
        }
    }
}
