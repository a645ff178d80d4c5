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
 * Issue 5 item 8 "VM snapshots ... with memory optionally", ADR 0024, with real node processes and
 * real QEMU (TCG): a guest counting on its serial console is snapshotted with memory while it runs
 * and goes on counting; its data disk is overwritten; it is stopped and reverted with --start: it
 * continues counting from the snapshot's moment without booting, and its disk holds the snapshot's
 * data again. A revert without start followed by 'keel vm start' resumes the same way. The state
 * volume is not deleted alone, a stopped VM's memory snapshot is refused, and deleting the snapshot
 * deletes its state volume.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class VmMemorySnapshotIT {
    private static final String READY = "KEEL-GUEST-READY";
    private static final String STATE_VOLUME = "web-snap-mem-state";

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static GuestSerial serial;
    static String vmId;
    static String written;
    static Path home;
    /** The last count seen before and after the snapshot call: the snapshot's moment lies between. */
    static long countBefore;
    static long countAfter;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        home = Files.createDirectories(dir.resolve("home"));
        VmTestBed.prepare(cluster, api);
        VmTestBed.CountingVm vm = VmTestBed.countingVm(cluster, api, dir, "mem", "snap");
        vmId = vm.id();
        serial = vm.serial();
        written = vm.written();
    }

    @AfterAll
    static void down() throws IOException {
        if (serial != null) {
            serial.close();
        }
        if (cluster != null) {
            cluster.close("VmMemorySnapshotIT");
        }
    }

    @Test
    @Order(1)
    void aRunningGuestIsSnapshottedWithItsMemoryAndRunsOn() throws Exception {
        countBefore = lastCount(read(serialLog())).orElseThrow();
        long t0 = System.nanoTime();
        LocalCluster.CliResult out = cluster.cli(home, "vm", "snapshot", "create", "web", "mem", "--memory");
        double seconds = (System.nanoTime() - t0) / 1e9;
        countAfter = lastCount(read(serialLog())).orElseThrow();
        System.out.println(out.out());
        assertThat(out.code()).as(out.err() + out.out()).isZero();
        assertThat(out.out()).contains("Created snapshot mem").contains("bytes of memory");

        JsonNode s = api.get("/api/v1/vms/web/snapshots/mem").body();
        assertThat(s.path("withMemory").asBoolean()).as(s.toString()).isTrue();
        assertThat(s.path("stateVolume").asText()).isEqualTo(STATE_VOLUME);
        long stateBytes = s.path("stateBytes").asLong();
        assertThat(stateBytes).isPositive().isLessThan((128L << 20) + (16L << 20));
        assertThat(s.path("pausedMillis").asLong()).isPositive();
        System.out.printf("memory snapshot of a 128 MiB TCG guest: %d bytes of state, vCPUs paused %d ms"
                + " (CLI call %.1f s)%n", stateBytes, s.path("pausedMillis").asLong(), seconds);
        LocalCluster.CliResult list = cluster.cli(home, "vm", "snapshot", "list", "web");
        assertThat(list.out()).containsPattern("mem\\s+\\S+\\s+2\\s+yes");

        // The guest runs on.
        assertThat(vm().path("status").asText()).isEqualTo("ACTIVE");
        Poll.until(Duration.ofSeconds(20), "counts after the snapshot",
                () -> lastCount(read(serialLog())).orElse(-1) > countAfter + 5);
        // The state volume belongs to the snapshot.
        ApiSession.Reply drop = api.call("DELETE", "/api/v1/volumes/" + STATE_VOLUME, null);
        assertThat(drop.status()).isEqualTo(409);
        assertThat(drop.message()).contains("holds the memory of snapshot \"mem\"");
    }

    @Test
    @Order(2)
    void aRevertWithStartContinuesTheGuestFromTheSnapshotsMoment() throws Exception {
        // The guest changes after the snapshot: its data overwritten, its counter further on.
        String other = GuestSerial.value(serial.command("write 1048576 2097152 later vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        assertThat(other).isNotEqualTo(written);
        serial.close();
        serial = null;
        stop();
        ApiSession.Reply stopped = api.post("/api/v1/vms/web/snapshots", Map.of("name", "cold", "memory", true));
        assertThat(stopped.status()).isEqualTo(409);
        assertThat(stopped.message()).contains("a stopped VM has no memory to save");

        int offset = read(serialLog()).length();
        long t0 = System.nanoTime();
        LocalCluster.CliResult out = cluster.cli(home, "vm", "snapshot", "revert", "web", "mem", "--start", "--yes");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(out.out());
        assertThat(out.code()).as(out.err() + out.out()).isZero();
        JsonNode v = vm();
        assertThat(v.path("status").asText()).as(v.toString()).isEqualTo("ACTIVE");
        assertThat(v.path("statusReason").asText()).contains("of snapshot \"mem\"'s memory");
        assertThat(v.path("savedState").isNull()).as(v.toString()).isTrue();
        System.out.printf("revert --start: %s (CLI call %.1f s)%n", v.path("statusReason").asText(), seconds);
        assertContinuesFromTheSnapshot(offset);
        // The state stays with the snapshot for the next revert.
        assertThat(api.get("/api/v1/volumes/" + STATE_VOLUME).status()).isEqualTo(200);

        serial = GuestSerial.connect(runtimeDir().resolve("serial.sock"), dir.resolve("web-2.log"));
        assertThat(GuestSerial.value(serial.command("read 1048576 2097152 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(written);
        serial.close();
        serial = null;
    }

    @Test
    @Order(3)
    void aRevertWithoutStartResumesFromTheMemoryAtTheNextStart() throws Exception {
        stop();
        ApiSession.Reply reverted = api.post("/api/v1/vms/web/snapshots/mem/revert", Map.of());
        assertThat(reverted.status()).as(reverted.message()).isEqualTo(200);
        assertThat(reverted.body().path("status").asText()).isEqualTo("SHUTOFF");
        assertThat(reverted.body().path("savedState").path("saved").asBoolean()).as(reverted.body().toString())
                .isTrue();
        int offset = read(serialLog()).length();
        LocalCluster.CliResult out = cluster.cli(home, "vm", "start", "web");
        System.out.println(out.out());
        assertThat(out.code()).as(out.err() + out.out()).isZero();
        Poll.until(Duration.ofSeconds(30), "the VM resumed", () -> vm().path("status").asText().equals("ACTIVE"));
        assertThat(vm().path("statusReason").asText()).contains("of snapshot \"mem\"'s memory");
        assertContinuesFromTheSnapshot(offset);
    }

    @Test
    @Order(4)
    void deletingTheSnapshotDeletesItsStateVolume() throws Exception {
        ApiSession.Reply deleted = api.call("DELETE", "/api/v1/vms/web/snapshots/mem", null);
        assertThat(deleted.status()).as(deleted.message()).isEqualTo(204);
        Poll.until(Duration.ofSeconds(15), "the state volume deleted",
                () -> volumeStatus(STATE_VOLUME) == 404);
        assertThat(vm().path("status").asText()).isEqualTo("ACTIVE");
        stop();
        ApiSession.Reply vm = api.call("DELETE", "/api/v1/vms/web", null);
        assertThat(vm.status()).as(vm.message()).isEqualTo(204);
    }

    /** Counts go on from between the two seen around the snapshot call, and the guest did not boot. */
    private static void assertContinuesFromTheSnapshot(int offset) throws Exception {
        Poll.until(Duration.ofSeconds(20), "counts after the resume", () -> countsAfter(offset).size() >= 3);
        List<Long> after = countsAfter(offset);
        assertThat(after.getFirst()).as("first count after the resume (snapshot between %d and %d)", countBefore,
                countAfter).isGreaterThan(countBefore).isLessThanOrEqualTo(countAfter + 3);
        assertThat(read(serialLog()).substring(offset)).doesNotContain(READY);
    }

    private static void stop() throws Exception {
        // At once: the test guest ignores the ACPI power button, and a graceful stop would wait 60 s for it.
        ApiSession.Reply stop = api.post("/api/v1/vms/web/stop", Map.of("force", true));
        assertThat(stop.status()).as(stop.message()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), "the VM stopped", () -> vm().path("status").asText().equals("SHUTOFF"));
    }

    private static List<Long> countsAfter(int offset) {
        return GuestCounter.after(read(serialLog()), offset);
    }

    private static OptionalLong lastCount(String text) {
        return GuestCounter.last(text);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Path runtimeDir() {
        return cluster.node(2).dir().resolve("data").resolve("vms").resolve(vmId);
    }

    private static Path serialLog() {
        return runtimeDir().resolve("serial.log");
    }

    private static int volumeStatus(String name) {
        try {
            return api.get("/api/v1/volumes/" + name).status();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode vm() {
        try {
            return api.get("/api/v1/vms/web").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
