package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * Maintenance mode and graceful shutdown with real node processes and TCG guests (ADR 0030). On
 * node1: an auto and a failover VM running (their guests wrote a data disk), a stopped VM, and a
 * pinned VM. While the pinned VM runs, maintenance is refused with it named and nothing changes.
 * Once it is stopped, 'keel node maintenance enter node1' shows the plan, the running VMs
 * live-migrate away with their data, the stopped one moves, a new VM never lands on node1; leave
 * returns node1 to the pool and, with migrate-back, the VMs come home. A SIGTERM of node1 moves
 * its VMs away again, with no "node lost" and no fence; restarted, node1 is active again and its
 * VMs come home.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HaMaintenanceIT {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Duration MOVE = Duration.ofSeconds(90);
    private static final List<String> RUNNING = List.of("m-auto", "m-failover");

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static final Map<String, String> ids = new LinkedHashMap<>();
    static final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(2);
        VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
        VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "ha", "vcpus", 1, "ram", "128M")));
        create("m-auto", "auto", true, true);
        create("m-failover", "failover", true, true);
        create("m-stopped", "auto", false, false);
        // Only its power matters here: it is stopped again before its guest would be of any use.
        create("m-pinned", "pinned", true, false);
        for (String vm : RUNNING) {
            Poll.until(BOOT, vm + " booted on node1", () -> boots(1, vm) > 0);
            try (GuestSerial serial = serial(1, vm)) {
                written.put(vm, GuestSerial.value(serial.command("write 1048576 1048576 " + vm + " vdb",
                        Duration.ofSeconds(60)), "WRITE SHA256 "));
            }
        }
    }

    private static void create(String name, String placement, boolean start, boolean dataDisk) throws Exception {
        VmTestBed.bootVolume(cluster, api, "boot-" + name);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "flavor", "ha", "volume", "boot-" + name,
                "node", "node1", "placement", placement, "start", start, "waitSeconds", 0));
        if (dataDisk) {
            body.put("disks", List.of(Map.of("size", "16M")));
        }
        ApiSession.Reply r = api.post("/api/v1/vms", body);
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        ids.put(name, r.body().path("id").asText());
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("HaMaintenanceIT");
        }
    }

    @Test
    @Order(1)
    void aRunningPinnedVmBlocksMaintenanceAndNothingChanges() throws Exception {
        Poll.until(Duration.ofSeconds(60), "the HA status has m-pinned started on node1",
                () -> planBlockers().contains("m-pinned"));
        LocalCluster.CliResult plan = cli("node", "maintenance", "plan", "node1");
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("Blocked by:").contains("VM m-pinned: pinned to node1 and running");

        ApiSession.Reply refused = api.post("/api/v1/nodes/node1/maintenance", Map.of());
        assertThat(refused.status()).as(refused.message()).isEqualTo(409);
        assertThat(refused.message()).contains("cannot enter maintenance").contains("m-pinned");
        LocalCluster.CliResult enter = cli("node", "maintenance", "enter", "node1");
        assertThat(enter.code()).isNotZero();
        assertThat(enter.err()).contains("nothing was changed");

        assertThat(node("node1").path("status").asText()).isEqualTo("HEALTHY");
        assertThat(api.get("/api/v1/nodes/node1/maintenance/plan").body().path("mode").asText()).isEqualTo("active");
        JsonNode pinned = vm("m-pinned");
        assertThat(pinned.path("nodeName").asText()).isEqualTo("node1");
        assertThat(pinned.path("power").asText().toLowerCase()).isEqualTo("running");

        ApiSession.Reply stopped = api.post("/api/v1/vms/m-pinned/stop", Map.of("force", true));
        assertThat(stopped.status()).as(stopped.message()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), "nothing blocks node1's maintenance", () -> planBlockers().isEmpty());
    }

    @Test
    @Order(2)
    void maintenanceMovesEveryVmAwayKeepsNode1OutOfThePoolAndLeaveBringsThemBack() throws Exception {
        JsonNode plan = api.get("/api/v1/nodes/node1/maintenance/plan").body();
        Map<String, String> actions = new LinkedHashMap<>();
        plan.path("moves").forEach(m -> actions.put(m.path("vmName").asText(), m.path("action").asText()));
        assertThat(actions).containsEntry("m-auto", "migrate").containsEntry("m-failover", "migrate")
                .containsEntry("m-stopped", "reassign").doesNotContainKey("m-pinned");

        long entered = System.nanoTime();
        LocalCluster.CliResult enter = cli("node", "maintenance", "enter", "node1", "--wait", "120");
        System.out.printf("keel node maintenance enter node1: evacuated in %.1f s%n", (System.nanoTime() - entered) / 1e9);
        assertThat(enter.code()).as(enter.out() + enter.err()).isZero();
        assertThat(enter.out()).contains("Maintenance plan for node node1").contains("m-auto").contains("migrate")
                .contains("Node node1 is in maintenance").contains("Node node1 is evacuated.");
        Poll.until(Duration.ofSeconds(10), "node1 in maintenance in node listings",
                () -> node("node1").path("status").asText().equals("MAINTENANCE"));

        for (String vm : RUNNING) {
            Poll.until(MOVE, vm + " active on another node", () -> !at(vm, "node1") && active(vm));
            JsonNode v = vm(vm);
            String at = v.path("nodeName").asText();
            assertThat(at).as(vm).isNotEqualTo("node1");
            assertThat(v.path("status").asText()).as(vm).isEqualTo("ACTIVE");
            try (GuestSerial serial = serial(nodeNumber(at), vm)) {
                assertThat(GuestSerial.value(serial.command("read 1048576 1048576 vdb", Duration.ofSeconds(60)),
                        "READ SHA256 ")).as(vm + "'s data after its migration").isEqualTo(written.get(vm));
            }
        }
        assertThat(vm("m-stopped").path("nodeName").asText()).isNotEqualTo("node1");
        assertThat(vm("m-pinned").path("nodeName").asText()).isEqualTo("node1");

        // Out of the pool: placement never picks node1, and asking for it is refused.
        VmTestBed.created(api.post("/api/v1/volumes", Map.of("name", "boot-new", "size", "16M", "policy", "two")));
        ApiSession.Reply onNode1 = api.post("/api/v1/vms", Map.of("name", "m-new", "flavor", "ha",
                "volume", "boot-new", "node", "node1", "start", false));
        assertThat(onNode1.status()).isEqualTo(400);
        assertThat(onNode1.message()).contains("maintenance");
        ApiSession.Reply placed = api.post("/api/v1/vms", Map.of("name", "m-new", "flavor", "ha",
                "volume", "boot-new", "start", false));
        assertThat(placed.status()).as(placed.message()).isEqualTo(201);
        assertThat(placed.body().path("nodeName").asText()).isNotEqualTo("node1");

        // The CLI reads the VM records; the manager announces the evacuation on its next round.
        Poll.until(Duration.ofSeconds(15), "the manager's evacuation event",
                () -> {
                    try {
                        return events().contains("node node1 evacuated");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });

        // Leave: node1 takes VMs again; with migrate-back (the default) the moved ones come home.
        LocalCluster.CliResult leave = cli("node", "maintenance", "leave", "node1");
        assertThat(leave.code()).as(leave.err()).isZero();
        long left = System.nanoTime();
        // node2 answers from its own replica, which may be a few entries behind the leader's.
        Poll.until(Duration.ofSeconds(10), "node1 healthy again",
                () -> node("node1").path("status").asText().equals("HEALTHY"));
        Poll.until(MOVE, "m-auto, m-failover and m-stopped back on node1", () -> RUNNING.stream()
                .allMatch(vm -> at(vm, "node1") && active(vm))
                && at("m-stopped", "node1"));
        System.out.printf("keel node maintenance leave node1 -> VMs back on node1 in %.1f s%n",
                (System.nanoTime() - left) / 1e9);
        assertThat(events()).contains("node node1 entering maintenance").contains("VM m-auto moved from node1 to")
                .contains("node node1 evacuated").contains("node node1 out of maintenance")
                .contains("VM m-auto moved from");
        assertThat(metrics()).contains("keel_ha_events_total{type=\"MaintenanceStarted\"");
    }

    @Test
    @Order(3)
    void aSigtermedNodesVmsMoveAwayWithoutANodeLoss() throws Exception {
        int before = events().split("\n").length;
        ProcessHandle node1 = ProcessHandle.of(cluster.pid(1)).orElseThrow();
        long term = System.nanoTime();
        node1.destroy();
        node1.onExit().get(90, TimeUnit.SECONDS);
        System.out.printf("SIGTERM of node1 -> process gone after %.1f s%n", (System.nanoTime() - term) / 1e9);
        for (String vm : RUNNING) {
            Poll.until(MOVE, vm + " active on another node", () -> !at(vm, "node1") && active(vm));
            JsonNode v = vm(vm);
            String at = v.path("nodeName").asText();
            assertThat(at).as(vm).isNotEqualTo("node1");
            assertThat(v.path("status").asText()).as(vm).isEqualTo("ACTIVE");
            try (GuestSerial serial = serial(nodeNumber(at), vm)) {
                assertThat(GuestSerial.value(serial.command("read 1048576 1048576 vdb", Duration.ofSeconds(60)),
                        "READ SHA256 ")).as(vm + "'s data after node1's shutdown").isEqualTo(written.get(vm));
            }
        }
        // node1 is silent for longer than the detection time (3 s) before the events are read.
        Poll.until(Duration.ofSeconds(30), "node1 reported unhealthy",
                () -> node("node1").path("status").asText().equals("UNHEALTHY"));
        long quiet = System.nanoTime();
        Poll.until(Duration.ofSeconds(30), "two detection times of node1's silence",
                () -> System.nanoTime() - quiet > Duration.ofSeconds(6).toNanos());
        List<String> after = List.of(events().split("\n"));
        String since = String.join("\n", after.subList(Math.min(before, after.size()), after.size()));
        assertThat(since).contains("node node1 shutting down").doesNotContain("node node1 lost")
                .doesNotContain("node node1 fenc").doesNotContain("recovered on");
    }

    @Test
    @Order(4)
    void aNodeBackFromItsShutdownIsActiveAgainAndItsVmsComeHome() throws Exception {
        long start = System.nanoTime();
        cluster.restart(1);
        Poll.until(Duration.ofSeconds(30), "node1 active again", () -> {
            try {
                return api.get("/api/v1/nodes/node1/maintenance/plan").body().path("mode").asText().equals("active");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Poll.until(MOVE, "m-auto and m-failover back on node1 (migrate-back)",
                () -> RUNNING.stream().allMatch(vm -> at(vm, "node1") && active(vm)));
        System.out.printf("node1 restarted -> its VMs back on it %.1f s after the start%n",
                (System.nanoTime() - start) / 1e9);
        assertThat(events()).contains("node node1 out of maintenance");
    }

    private static LocalCluster.CliResult cli(String... args) {
        return cluster.cli(dir.resolve("home"), args);
    }

    private static String planBlockers() {
        try {
            StringBuilder out = new StringBuilder();
            api.get("/api/v1/nodes/node1/maintenance/plan").body().path("blockers")
                    .forEach(b -> out.append(b.path("vmName").asText()).append(' '));
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean active(String vm) {
        return vm(vm).path("status").asText().equals("ACTIVE");
    }

    private static boolean at(String vm, String node) {
        return vm(vm).path("nodeName").asText().equals(node);
    }

    private static int boots(int node, String vm) {
        String log = VmTestBed.read(runtimeDir(node, vm).resolve("serial.log"));
        return log.split("KEEL-GUEST-READY", -1).length - 1;
    }

    private static GuestSerial serial(int node, String vm) throws IOException {
        return GuestSerial.connect(runtimeDir(node, vm).resolve("serial.sock"),
                dir.resolve(vm + "-node" + node + "-" + System.nanoTime() + ".log"));
    }

    private static int nodeNumber(String name) {
        return Integer.parseInt(name.substring("node".length()));
    }

    private static Path runtimeDir(int node, String vm) {
        return cluster.node(node).dir().resolve("data").resolve("vms").resolve(ids.get(vm));
    }

    private static JsonNode vm(String name) {
        try {
            return api.get("/api/v1/vms/" + name).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode node(String name) {
        try {
            return api.get("/api/v1/nodes/" + name).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every node's metrics: an event counts on the node that emitted it (the manager's on the leader). */
    private static String metrics() throws IOException {
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= 3; n++) {
            try (var in = java.net.URI.create(cluster.api(n).baseUrl() + "/metrics").toURL().openStream()) {
                out.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    private static String events() throws IOException {
        ApiSession.Reply r = api.get("/api/v1/events");
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        StringBuilder out = new StringBuilder();
        r.body().path("events").forEach(e -> out.append(e.path("at").asText()).append(' ')
                .append(e.path("text").asText()).append('\n'));
        return out.toString();
    }
}
