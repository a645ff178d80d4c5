package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 item 8 with real node processes and a real QEMU (TCG) guest: a VM booted from a Keel
 * volume with a data disk is snapshotted while it runs and its guest writes, stays ACTIVE, has its
 * data overwritten, is reverted while stopped (and refused while running) and reads back what it
 * had at the snapshot. The API is node1's, the VM runs on node2, so the request travels to the
 * host through the metadata as ADR 0020 says. Issue 5 item 10 too: node2's /metrics shows the VM's
 * counters growing when the guest writes, and node1's API shows them by asking node2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class VmSnapshotIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final long MIB = 1 << 20;
    private static final String REGION = (MIB) + " " + (2 * MIB);

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static GuestSerial serial;
    static String vmId;
    static String patternA;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        VmTestBed.prepare(cluster, api);
        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "db", "flavor", "tiny", "volume", "boot1",
                "disks", List.of(Map.of("size", "32M", "policy", "two")), "node", "node2"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).as(r.body().toString()).isEqualTo("ACTIVE");
        vmId = r.body().path("id").asText();
        awaitBoots(1);
        serial = GuestSerial.connect(socket(), dir.resolve("db-console.log"));
    }

    @AfterAll
    static void down() throws IOException {
        if (serial != null) {
            serial.close();
        }
        if (cluster != null) {
            cluster.close("VmSnapshotIT");
        }
    }

    @Test
    @Order(1)
    void aRunningVmIsSnapshottedWhileItsGuestWritesAndStaysActive() throws Exception {
        patternA = GuestSerial.value(serial.command("write " + REGION + " alpha vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        // Keep the guest writing to another part of the disk while the snapshot is taken.
        serial.command("run sh -c 'while [ ! -e /tmp/stop ]; do dd if=/dev/urandom of=/dev/vdb bs=64k count=16"
                + " seek=256 conv=fsync 2>/dev/null; done' >/dev/null 2>&1 &", Duration.ofSeconds(10));

        long t0 = System.nanoTime();
        ApiSession.Reply snap = api.post("/api/v1/vms/db/snapshots", Map.of("name", "before"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(snap.status()).as(snap.message()).isEqualTo(201);
        JsonNode s = snap.body();
        assertThat(s.path("disks")).hasSize(2);
        assertThat(s.path("vm").asText()).isEqualTo("db");
        long paused = s.path("pausedMillis").asLong();
        System.out.printf("VM snapshot of a busy running guest: API answered in %d ms, vCPUs stopped %d ms%n", ms,
                paused);
        assertThat(paused).isPositive().isLessThan(5_000);

        assertThat(get("/api/v1/vms/db").path("status").asText()).isEqualTo("ACTIVE");
        serial.command("run touch /tmp/stop", Duration.ofSeconds(30));
        assertThat(serial.command("echo still-running", Duration.ofSeconds(30))).contains("ECHO still-running");
        assertThat(get("/api/v1/vms/db/snapshots")).hasSize(1);
        String dataVolume = s.path("disks").get(1).path("volume").asText();
        assertThat(get("/api/v1/volumes/" + dataVolume + "/snapshots")).hasSize(1);
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedWithTheReason() throws Exception {
        // A memory snapshot refused for its name leaves no state volume behind (ADR 0024).
        ApiSession.Reply memory = api.post("/api/v1/vms/db/snapshots", Map.of("name", "before", "memory", true));
        assertThat(memory.status()).isEqualTo(409);
        assertThat(memory.message()).contains("already has a snapshot named \"before\"");
        assertThat(api.get("/api/v1/volumes/db-snap-before-state").status()).isEqualTo(404);
        ApiSession.Reply twice = api.post("/api/v1/vms/db/snapshots", Map.of("name", "before"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.message()).contains("already has a snapshot named \"before\"");
        ApiSession.Reply running = api.post("/api/v1/vms/db/snapshots/before/revert", Map.of());
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.message()).contains("reverted only while it is stopped");
        String dataVolume = get("/api/v1/vms/db/snapshots/before").path("disks").get(1).path("volume").asText();
        ApiSession.Reply part = api.call("DELETE", "/api/v1/volumes/" + dataVolume + "/snapshots/before", null);
        assertThat(part.status()).isEqualTo(409);
        assertThat(part.message()).contains("is part of snapshot \"before\" of VM \"db\"");
    }

    @Test
    @Order(3)
    void revertingTheStoppedVmBringsBackTheDiskContentOfTheSnapshot() throws Exception {
        String patternB = GuestSerial.value(serial.command("write " + REGION + " bravo vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        assertThat(patternB).isNotEqualTo(patternA);
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(patternB);

        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult stop = cluster.cli(home, "vm", "stop", "db", "--timeout", "3");
        assertThat(stop.out()).as(stop.err()).contains("Stopped VM db: SHUTOFF");
        serial.close();
        LocalCluster.CliResult revert = cluster.cli(home, "vm", "snapshot", "revert", "db", "before", "--start",
                "--yes");
        assertThat(revert.code()).as(revert.err() + revert.out()).isZero();
        assertThat(revert.out()).contains("Reverted and started VM db: ACTIVE");
        awaitBoots(2);
        serial = GuestSerial.connect(socket(), dir.resolve("db-console-2.log"));
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(patternA);
    }

    @Test
    @Order(4)
    void theHostExportsTheVmsCountersWhichGrowWhenTheGuestWrites() throws Exception {
        String series = "{disk=\"disk1\",vm=\"db\",vm_id=\"" + vmId + "\"}";
        Poll.until(Duration.ofSeconds(15), "the VM's meters on node2",
                () -> metric(2, "keel_vm_disk_write_bytes_total" + series) >= 0);
        double before = metric(2, "keel_vm_disk_write_bytes_total" + series);
        double opsBefore = metric(2, "keel_vm_disk_write_ops_total" + series);
        serial.command("write " + (8 * MIB) + " " + (4 * MIB) + " charlie vdb", Duration.ofSeconds(60));
        Poll.until(Duration.ofSeconds(15), "node2's counters to show the guest's 4 MiB",
                () -> metric(2, "keel_vm_disk_write_bytes_total" + series) >= before + 4 * MIB);
        assertThat(metric(2, "keel_vm_disk_write_ops_total" + series)).isGreaterThan(opsBefore);
        String vmTags = "{vm=\"db\",vm_id=\"" + vmId + "\"}";
        assertThat(metric(2, "keel_vm_cpu_seconds_total" + vmTags)).isPositive();
        assertThat(metric(2, "keel_vm_memory_rss_bytes" + vmTags)).isGreaterThan(16 * MIB);
        assertThat(metric(2, "keel_vm_memory_configured_bytes" + vmTags)).isEqualTo(512.0 * MIB);
        assertThat(scrape(1)).doesNotContain("vm_id=\"" + vmId + "\"");
        System.out.printf("VM db on node2: %.0f bytes written to disk1, %.2f s CPU%n",
                metric(2, "keel_vm_disk_write_bytes_total" + series), metric(2, "keel_vm_cpu_seconds_total" + vmTags));

        // Through node1's API, which asks node2.
        JsonNode stats = get("/api/v1/vms/db/stats");
        assertThat(stats.path("running").asBoolean()).as(stats.toString()).isTrue();
        assertThat(stats.path("nodeName").asText()).isEqualTo("node2");
        assertThat(stats.path("disks").get(1).path("writeBytes").asLong()).isGreaterThanOrEqualTo((long) before
                + 4 * MIB);
        assertThat(stats.path("nics")).isEmpty();
        LocalCluster.CliResult cli = cluster.cli(Files.createDirectories(dir.resolve("home")), "vm", "stats", "db");
        assertThat(cli.out()).as(cli.err()).contains("disk1").contains("network: no interfaces");
    }

    @Test
    @Order(5)
    void aVmWithSnapshotsIsNotDeletedUntilTheyAre() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult list = cluster.cli(home, "vm", "snapshot", "list", "db");
        assertThat(list.out()).as(list.err()).contains("before");
        ApiSession.Reply refused = api.call("DELETE", "/api/v1/vms/db?deleteVolumes=true", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).contains("has snapshots (before)");
        LocalCluster.CliResult delete = cluster.cli(home, "vm", "snapshot", "delete", "db", "before", "--yes");
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(get("/api/v1/vms/db/snapshots")).isEmpty();
        assertThat(get("/api/v1/volumes/boot1/snapshots")).isEmpty();
        serial.close();
        assertThat(api.call("DELETE", "/api/v1/vms/db?deleteVolumes=true", null).status()).isEqualTo(204);
    }

    private static String scrape(int node) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.node(node).apiUrl() + "/metrics"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The value of one series on a node's /metrics, or -1 when it is not there. */
    private static double metric(int node, String series) {
        try {
            for (String line : scrape(node).split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(line.substring(series.length() + 1).strip());
                }
            }
            return -1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the guest's {@code n}th boot in the VM's serial log, which QEMU writes whether or not anyone listens. */
    private static void awaitBoots(int n) throws Exception {
        Path log = socket().resolveSibling("serial.log");
        Poll.until(BOOT, "boot " + n + " of the guest in " + log, () -> {
            try {
                return Files.exists(log) && Files.readString(log).split("KEEL-GUEST-READY", -1).length - 1 >= n;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static Path socket() {
        return cluster.node(2).dir().resolve("data").resolve("vms").resolve(vmId).resolve("serial.sock");
    }

    private static JsonNode get(String path) {
        try {
            return api.get(path).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


}
