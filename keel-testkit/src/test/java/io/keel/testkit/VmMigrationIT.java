package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * Issue 5 item 9 with real node processes and real QEMU (TCG): a VM booted from a Keel volume runs
 * a counter on its serial console; a migration cancelled at once, one cancelled half-way and one
 * whose target QEMU is killed half-way (1 MiB/s bandwidth limit) leave it running on its node;
 * 'keel vm migrate' then moves it from node2 to node3 while it runs. The counter carries on in
 * node3's serial log, data written before is read back there, the disks' write leases are node3's,
 * and total time and downtime are reported (ADR 0019).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VmMigrationIT {
    private static final Duration BOOT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static GuestSerial serial;
    static String vmId;
    static String written;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        VmTestBed.prepare(cluster, api);
        VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "mig", "vcpus", 1, "ram", "128M")));

        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "web", "flavor", "mig", "volume", "boot1",
                "disks", List.of(Map.of("size", "32M")), "node", "node2"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).as(r.body().toString()).isEqualTo("ACTIVE");
        vmId = r.body().path("id").asText();
        Poll.until(BOOT, "the guest's boot on node2", () -> read(serialLog(2)).contains("KEEL-GUEST-READY"));
        serial = GuestSerial.connect(runtimeDir(2).resolve("serial.sock"), dir.resolve("web-node2.log"));
        written = GuestSerial.value(serial.command("write 1048576 2097152 mig vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        // The counter runs in the background and prints to the console: it shows whether the guest runs.
        GuestCounter.start(serial);
        awaitCountAbove(2, -1);
    }

    @AfterAll
    static void down() throws IOException {
        if (serial != null) {
            serial.close();
        }
        if (cluster != null) {
            cluster.close("VmMigrationIT");
        }
    }

    @Test
    @Order(1)
    void aCancelledMigrationLeavesTheVmRunningOnItsNode() throws Exception {
        // Cancelled at once, before the source starts sending: a small guest moves in about two
        // seconds, faster than anything slower than this could cancel it.
        ApiSession.Reply started = api.post("/api/v1/vms/web/migrate", Map.of("node", "node3", "waitSeconds", 0));
        ApiSession.Reply cancelled = api.post("/api/v1/vms/web/migrate/cancel", Map.of("waitSeconds", 60));
        assertThat(started.status()).as(started.message()).isEqualTo(200);
        assertThat(started.body().path("status").asText()).isEqualTo("MIGRATING");
        assertThat(cancelled.status()).as(cancelled.message()).isEqualTo(200);
        assertThat(cancelled.body().path("migration").path("phase").asText()).as(cancelled.body().toString())
                .isEqualTo("cancelled");

        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult again = cluster.cli(home, "vm", "migrate", "web", "--cancel");
        assertThat(again.code()).isNotZero();
        assertThat(again.err() + again.out()).contains("is not migrating");
        JsonNode v = vm();
        assertThat(v.path("nodeName").asText()).isEqualTo("node2");
        assertThat(v.path("migration").path("phase").asText()).isEqualTo("cancelled");
        // The target's QEMU, if it got that far, is gone; the guest still counts on node2.
        Poll.until(Duration.ofSeconds(15), "no QEMU for web on node3", () -> !Files.exists(runtimeDir(3).resolve(
                "qemu.pid")));
        long before = lastCount(2).orElseThrow();
        awaitCountAbove(2, before);
        assertThat(GuestSerial.value(serial.command("blk vdb", Duration.ofSeconds(30)), "BLK SIZE ")).isNotBlank();
    }

    @Test
    @Order(2)
    void badMigrationsAreRefusedWithTheReason() throws Exception {
        ApiSession.Reply same = api.post("/api/v1/vms/web/migrate", Map.of("node", "node2"));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.message()).contains("already runs on node");
        ApiSession.Reply unknown = api.post("/api/v1/vms/web/migrate", Map.of("node", "node9"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(vm().path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    @Order(3)
    void aMigrationCancelledMidTransferLeavesTheVmRunningOnItsNode() throws Exception {
        // 1 MiB/s makes the transfer of the guest's RAM last long enough to cancel it half-way.
        ApiSession.Reply started = api.post("/api/v1/vms/web/migrate", Map.of("node", "node3", "waitSeconds", 0,
                "maxBandwidth", "1M"));
        assertThat(started.status()).as(started.message()).isEqualTo(200);
        awaitTransferring();
        ApiSession.Reply cancelled = api.post("/api/v1/vms/web/migrate/cancel", Map.of("waitSeconds", 60));
        assertThat(cancelled.status()).as(cancelled.message()).isEqualTo(200);
        JsonNode m = cancelled.body().path("migration");
        assertThat(m.path("phase").asText()).as(m.toString()).isEqualTo("cancelled");
        assertThat(m.path("ramTransferredBytes").asLong()).isPositive();
        assertRunsOnNode2();
    }

    @Test
    @Order(4)
    void aTargetQemuKilledMidTransferFailsTheMigrationAndTheVmRunsOn() throws Exception {
        ApiSession.Reply started = api.post("/api/v1/vms/web/migrate", Map.of("node", "node3", "waitSeconds", 0,
                "maxBandwidth", "1M"));
        assertThat(started.status()).as(started.message()).isEqualTo(200);
        awaitTransferring();
        long pid = Long.parseLong(Files.readString(runtimeDir(3).resolve("qemu.pid")).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Poll.until(Duration.ofSeconds(60), "the migration to fail",
                () -> "failed".equals(vmQuietly().path("migration").path("phase").asText()));
        System.out.println("migration with its target killed: " + vm().path("migration").path("reason").asText());
        assertRunsOnNode2();
    }

    /** Waits for the migration to have sent some of the guest's RAM, and not all. */
    private static void awaitTransferring() throws Exception {
        Poll.until(Duration.ofSeconds(60), "the migration to be half-way", () -> {
            JsonNode m = vmQuietly().path("migration");
            return "transferring".equals(m.path("phase").asText()) && m.path("ramTransferredBytes").asLong() > 0
                    && m.path("progress").asInt() < 90;
        });
    }

    /** The VM is ACTIVE on node2, the target's QEMU is gone, and the guest still counts. */
    private static void assertRunsOnNode2() throws Exception {
        JsonNode v = vm();
        assertThat(v.path("status").asText()).as(v.toString()).isEqualTo("ACTIVE");
        assertThat(v.path("nodeName").asText()).isEqualTo("node2");
        Poll.until(Duration.ofSeconds(15), "no QEMU for web on node3", () -> !Files.exists(runtimeDir(3).resolve(
                "qemu.pid")));
        long before = lastCount(2).orElseThrow();
        awaitCountAbove(2, before);
    }

    private static JsonNode vmQuietly() {
        try {
            return vm();
        } catch (Exception e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    @Test
    @Order(5)
    void keelVmMigrateMovesTheRunningGuestToNode3() throws Exception {
        long before = lastCount(2).orElseThrow();
        Path home = Files.createDirectories(dir.resolve("home"));
        long t0 = System.nanoTime();
        LocalCluster.CliResult out = cluster.cli(home, "vm", "migrate", "web", "--to", "node3", "--wait", "120");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(out.out());
        assertThat(out.code()).as(out.err() + out.out()).isZero();
        assertThat(out.out()).contains("% of its RAM sent").contains("Migrated VM web from node2 to node3 in ");

        JsonNode v = vm();
        assertThat(v.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(v.path("nodeName").asText()).isEqualTo("node3");
        JsonNode m = v.path("migration");
        assertThat(m.path("phase").asText()).isEqualTo("completed");
        assertThat(m.path("progress").asInt()).isEqualTo(100);
        assertThat(m.path("totalMs").asLong()).isPositive();
        assertThat(m.path("downtimeMs").isNumber()).as(m.toString()).isTrue();
        assertThat(m.path("pauseMs").isNumber()).as(m.toString()).isTrue();
        System.out.printf("live migration of a %d MiB TCG guest: total %d ms, QEMU downtime %d ms, guest paused %d ms"
                        + " (CLI call %.1f s)%n", v.path("ramMiB").asInt(), m.path("totalMs").asLong(),
                m.path("downtimeMs").asLong(), m.path("pauseMs").asLong(), seconds);

        // The guest carries on counting on node3, from where it was.
        Poll.until(Duration.ofSeconds(15), "a count in node3's serial log", () -> lastCount(3).isPresent());
        long first = lastCount(3).orElseThrow();
        assertThat(first).isGreaterThan(before);
        awaitCountAbove(3, first);
        Poll.until(Duration.ofSeconds(10), "node2 cleaned up after the VM left", () -> !Files.exists(runtimeDir(2)));

        // The data is there, the guest writes, and the disks' write leases are node3's.
        serial.close();
        serial = GuestSerial.connect(runtimeDir(3).resolve("serial.sock"), dir.resolve("web-node3.log"));
        assertThat(GuestSerial.value(serial.command("read 1048576 2097152 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(written);
        String again = GuestSerial.value(serial.command("write 4194304 1048576 after vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        assertThat(GuestSerial.value(serial.command("read 4194304 1048576 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(again);
        // Volumes name their lease holder by node name.
        String node3 = v.path("nodeName").asText();
        for (JsonNode d : v.path("disks")) {
            assertThat(volume(d.path("volume").asText()).path("leaseHolder").asText()).as(d.toString())
                    .isEqualTo(node3);
        }
        assertThat(api.get("/api/v1/compute").body().path("ramAllocatedBytes").asLong()).isEqualTo(128L << 20);
    }

    private static void awaitCountAbove(int node, long n) throws Exception {
        Poll.until(Duration.ofSeconds(20), "a count above " + n + " in node" + node + "'s serial log",
                () -> lastCount(node).orElse(-1) > n);
    }

    private static OptionalLong lastCount(int node) {
        return GuestCounter.last(read(serialLog(node)));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Path runtimeDir(int node) {
        return cluster.node(node).dir().resolve("data").resolve("vms").resolve(vmId);
    }

    private static Path serialLog(int node) {
        return runtimeDir(node).resolve("serial.log");
    }

    private static JsonNode vm() {
        try {
            return api.get("/api/v1/vms/web").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode volume(String name) {
        try {
            return api.get("/api/v1/volumes/" + name).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


}
