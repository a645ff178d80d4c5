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
 * Issue 5 "suspend/resume (state saved to storage)" with real node processes and real QEMU (TCG),
 * ADR 0021: a guest counting on its serial console is suspended with 'keel vm suspend' (SUSPENDED,
 * no QEMU on its node, its state in volume web-state) and resumed with 'keel vm resume': the
 * counter carries on from where it was, without a new boot, and the data on its disk reads back.
 * Start, migrate and resize of the suspended VM are refused with the reason; a stop discards the
 * state and a delete removes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class VmSuspendIT {
    private static final String READY = "KEEL-GUEST-READY";

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static GuestSerial serial;
    static String vmId;
    static String written;
    static Path home;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        home = Files.createDirectories(dir.resolve("home"));
        VmTestBed.prepare(cluster, api);
        VmTestBed.CountingVm vm = VmTestBed.countingVm(cluster, api, dir, "sus", "sus");
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
            cluster.close("VmSuspendIT");
        }
    }

    @Test
    @Order(1)
    void aRunningVmIsNotResumed() throws Exception {
        ApiSession.Reply r = api.post("/api/v1/vms/web/resume", Map.of());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.message()).contains("is active, not suspended");
    }

    @Test
    @Order(2)
    void suspendSavesTheStateToAVolumeAndStopsQemuAndResumeCarriesOnWhereItWas() throws Exception {
        serial.close();
        serial = null;
        long t0 = System.nanoTime();
        LocalCluster.CliResult out = cluster.cli(home, "vm", "suspend", "web");
        double suspendSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(out.out());
        assertThat(out.code()).as(out.err() + out.out()).isZero();
        assertThat(out.out()).contains("Suspended VM web: SUSPENDED on node2.").contains("of state to volume web-state");

        JsonNode v = vm();
        assertThat(v.path("status").asText()).isEqualTo("SUSPENDED");
        assertThat(v.path("power").asText()).isEqualTo("suspended");
        JsonNode state = v.path("savedState");
        assertThat(state.path("saved").asBoolean()).as(state.toString()).isTrue();
        long stateBytes = state.path("stateBytes").asLong();
        assertThat(stateBytes).isPositive().isLessThan((128L << 20) + (16L << 20));
        assertThat(volume("web-state").status()).isEqualTo(200);
        // No QEMU for the VM on its node any more: the saved state is recorded first (SUSPENDED),
        // then QEMU quits, so its exit may trail the answer by a moment.
        Poll.until(Duration.ofSeconds(15), "the suspended VM's QEMU gone",
                () -> !Files.exists(runtimeDir().resolve("qemu.pid")) && qemuProcessesFor(vmId) == 0);
        String before = read(serialLog());
        long countAtSuspend = lastCount(before).orElseThrow();
        System.out.printf("suspend of a 128 MiB TCG guest: %d bytes of state saved in %d ms (CLI call %.1f s)%n",
                stateBytes, state.path("saveMillis").asLong(), suspendSeconds);

        // Refused while suspended, with the reason; nothing changes.
        ApiSession.Reply start = api.post("/api/v1/vms/web/start", Map.of("waitSeconds", 5));
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.message()).contains("is suspended: resume it");
        ApiSession.Reply migrate = api.post("/api/v1/vms/web/migrate", Map.of("node", "node3"));
        assertThat(migrate.status()).isEqualTo(409);
        assertThat(migrate.message()).contains("is suspended");
        ApiSession.Reply resize = api.post("/api/v1/vms/web/resize", Map.of("flavor", "tiny"));
        assertThat(resize.status()).isIn(400, 409);
        ApiSession.Reply dropState = api.call("DELETE", "/api/v1/volumes/web-state", null);
        assertThat(dropState.status()).isEqualTo(409);
        assertThat(dropState.message()).contains("holds the saved state of suspended VM");
        assertThat(vm().path("status").asText()).isEqualTo("SUSPENDED");

        t0 = System.nanoTime();
        LocalCluster.CliResult resumed = cluster.cli(home, "vm", "resume", "web");
        double resumeSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.println(resumed.out());
        assertThat(resumed.code()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).contains("Resumed VM web: ACTIVE");
        v = vm();
        assertThat(v.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(v.path("statusReason").asText()).contains("resumed from " + stateBytes + " bytes");
        assertThat(v.path("savedState").isNull()).as(v.toString()).isTrue();
        Poll.until(Duration.ofSeconds(15), "the state volume deleted", () -> volume("web-state").status() == 404);
        System.out.printf("resume: %s (CLI call %.1f s)%n", v.path("statusReason").asText(), resumeSeconds);

        // The guest carries on counting from where it was: no new boot, no counter from 0.
        Poll.until(Duration.ofSeconds(20), "counts after the resume", () -> countsAfter(before.length()).size() >= 3);
        List<Long> after = countsAfter(before.length());
        assertThat(after.getFirst()).as("first count after the resume").isGreaterThan(countAtSuspend)
                .isLessThanOrEqualTo(countAtSuspend + 3);
        assertThat(read(serialLog()).substring(before.length())).doesNotContain(READY);

        serial = GuestSerial.connect(runtimeDir().resolve("serial.sock"), dir.resolve("web-2.log"));
        assertThat(GuestSerial.value(serial.command("read 1048576 2097152 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(written);
        serial.close();
        serial = null;
    }

    @Test
    @Order(3)
    void aStopDiscardsTheSavedStateAndADeleteRemovesIt() throws Exception {
        ApiSession.Reply s = api.post("/api/v1/vms/web/suspend", Map.of());
        assertThat(s.status()).as(s.message()).isEqualTo(200);
        assertThat(s.body().path("status").asText()).as(s.body().toString()).isEqualTo("SUSPENDED");
        ApiSession.Reply stop = api.post("/api/v1/vms/web/stop", Map.of());
        assertThat(stop.status()).as(stop.message()).isEqualTo(200);
        assertThat(stop.body().path("status").asText()).isEqualTo("SHUTOFF");
        assertThat(stop.body().path("statusReason").asText()).contains("saved state was discarded");
        assertThat(volume("web-state").status()).isEqualTo(404);
        ApiSession.Reply resume = api.post("/api/v1/vms/web/resume", Map.of());
        assertThat(resume.status()).isEqualTo(409);
        assertThat(resume.message()).contains("is shutoff, not suspended");

        // Started afresh (its disks as they were), suspended, then deleted with its saved state.
        ApiSession.Reply started = api.post("/api/v1/vms/web/start", Map.of());
        assertThat(started.body().path("status").asText()).as(started.body().toString()).isEqualTo("ACTIVE");
        ApiSession.Reply again = api.post("/api/v1/vms/web/suspend", Map.of());
        assertThat(again.body().path("status").asText()).as(again.body().toString()).isEqualTo("SUSPENDED");
        assertThat(volume("web-state").status()).isEqualTo(200);
        ApiSession.Reply deleted = api.call("DELETE", "/api/v1/vms/web", null);
        assertThat(deleted.status()).as(deleted.message()).isEqualTo(204);
        assertThat(api.get("/api/v1/vms/web").status()).isEqualTo(404);
        assertThat(volume("web-state").status()).isEqualTo(404);
        assertThat(qemuProcessesFor(vmId)).isZero();
    }

    private static List<Long> countsAfter(int offset) {
        return GuestCounter.after(read(serialLog()), offset);
    }

    private static OptionalLong lastCount(String text) {
        return GuestCounter.last(text);
    }

    /** QEMU processes whose command line names the VM's runtime directory. */
    private static long qemuProcessesFor(String id) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system")
                && c.contains(id)).orElse(false)).count();
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

    private static JsonNode vm() {
        try {
            return api.get("/api/v1/vms/web").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiSession.Reply volume(String name) {
        try {
            return api.get("/api/v1/volumes/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
