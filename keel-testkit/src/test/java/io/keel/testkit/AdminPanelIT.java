package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.EmbeddedCluster;
import io.keel.testkit.guest.GuestImage;
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
 * journey ({@code keel-ui/e2e/journey.mjs}, Debian's chromium) logs in, creates a storage policy
 * and a volume, a target group with that volume as a LUN (and waits for its active path), an S3
 * cluster, user, key and bucket and uploads and downloads an object, uploads the test guest's
 * image and boots a VM from it and reads its serial console, enters and leaves maintenance mode,
 * and opens the dashboard; afterwards the API must show what it created. It saves a screenshot of
 * each screen into {@code docs/screenshots/}, which the README links.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
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
                "images.png", "vm-console.png", "vm-monitoring.png", "maintenance.png", "dashboard.png")) {
            assertThat(shots.resolve(shot)).as(shot).isNotEmptyFile();
        }
    }
}
