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
import java.util.ArrayList;
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
 * Issue 6 with real node processes and TCG guests (ADR 0029): three VMs on node2 with placement
 * auto, failover and pinned, each with a data disk the guest wrote. node2 loses power (kill -9 of
 * the node and of its QEMUs): the auto and failover VMs boot on another node once node2's leases
 * expired, with their data intact; the pinned one does not move. node2 comes back: the pinned VM
 * is held stopped there until started by hand, the moved VMs live-migrate back. A VM whose QEMU
 * is killed is restarted by policy. The cluster events tell the story; kill-to-running times are
 * printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HaFailoverIT {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Duration FAILOVER = Duration.ofSeconds(90);
    private static final List<String> VMS = List.of("vm-auto", "vm-failover", "vm-pinned");

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static final Map<String, String> ids = new LinkedHashMap<>();
    static final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
        VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "ha", "vcpus", 1, "ram", "128M")));
        for (String vm : VMS) {
            VmTestBed.bootVolume(cluster, api, "boot-" + vm);
            ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", vm, "flavor", "ha", "volume", "boot-" + vm,
                    "disks", List.of(Map.of("size", "16M")), "node", "node2",
                    "placement", vm.substring(3)));
            assertThat(r.status()).as(r.message()).isEqualTo(201);
            assertThat(r.body().path("placement").asText().toLowerCase()).isEqualTo(vm.substring(3));
            ids.put(vm, r.body().path("id").asText());
        }
        for (String vm : VMS) {
            Poll.until(BOOT, vm + " booted on node2", () -> booted(2, vm));
            try (GuestSerial serial = serial(2, vm)) {
                written.put(vm, GuestSerial.value(serial.command("write 1048576 1048576 " + vm + " vdb",
                        Duration.ofSeconds(60)), "WRITE SHA256 "));
            }
        }
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("HaFailoverIT");
        }
    }

    @Test
    @Order(1)
    void aKilledNodesAutoAndFailoverVmsBootElsewhereAndThePinnedOneStays() throws Exception {
        List<Long> qemus = new ArrayList<>();
        for (String vm : VMS) {
            qemus.add(Long.parseLong(Files.readString(runtimeDir(2, vm).resolve("qemu.pid")).strip()));
        }
        // Power loss: the node process and its QEMUs die together.
        long killed = System.nanoTime();
        cluster.kill9(2);
        qemus.forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        }));

        // Both VMs are watched together, so each time is its own, not the sum of waits in turn.
        List<String> moved = List.of("vm-auto", "vm-failover");
        Map<String, Double> active = new LinkedHashMap<>();
        Map<String, Double> booted = new LinkedHashMap<>();
        Poll.until(FAILOVER.plus(BOOT), "vm-auto and vm-failover booted on another node", () -> {
            for (String vm : moved) {
                JsonNode v = vm(vm);
                String node = v.path("nodeName").asText();
                if (node.equals("node2") || !v.path("status").asText().equals("ACTIVE")) {
                    continue;
                }
                active.putIfAbsent(vm, (System.nanoTime() - killed) / 1e9);
                if (booted(nodeNumber(node), vm)) {
                    booted.putIfAbsent(vm, (System.nanoTime() - killed) / 1e9);
                }
            }
            return booted.size() == moved.size();
        });
        for (String vm : moved) {
            String node = vm(vm).path("nodeName").asText();
            System.out.printf("kill -9 of node2 -> %s: QEMU running on %s after %.1f s, guest booted after %.1f s%n",
                    vm, node, active.get(vm), booted.get(vm));
            // The API shows the HA manager's view of the VM as well as its host's report.
            JsonNode ha = vm(vm).path("ha");
            assertThat(ha.path("state").asText()).as(ha.toString()).isEqualTo("started");
            assertThat(ha.path("nodeName").asText()).as(ha.toString()).isEqualTo(node);
            try (GuestSerial serial = serial(nodeNumber(node), vm)) {
                assertThat(GuestSerial.value(serial.command("read 1048576 1048576 vdb", Duration.ofSeconds(60)),
                        "READ SHA256 ")).as(vm + "'s data after failover").isEqualTo(written.get(vm));
            }
        }

        JsonNode pinned = vm("vm-pinned");
        assertThat(pinned.path("ha").path("waiting").asText()).as(pinned.path("ha").toString())
                .startsWith("pinned: held stopped on node2");
        assertThat(pinned.path("nodeName").asText()).isEqualTo("node2");
        assertThat(pinned.path("status").asText()).isNotEqualTo("ACTIVE");
        for (int n : new int[] {1, 3}) {
            assertThat(Files.exists(runtimeDir(n, "vm-pinned").resolve("qemu.pid"))).as("pinned VM on node" + n)
                    .isFalse();
        }
        String events = events();
        assertThat(events).contains("node node2 lost").contains("node node2 fenced")
                .contains("VM vm-auto recovered on").contains("VM vm-failover recovered on");
    }

    @Test
    @Order(2)
    void theReturningNodeHoldsThePinnedVmStoppedAndTheMovedOnesComeBack() throws Exception {
        cluster.restart(2);
        Poll.until(Duration.ofSeconds(30), "vm-pinned shut off on node2", () -> {
            JsonNode v = vm("vm-pinned");
            return v.path("nodeName").asText().equals("node2") && v.path("status").asText().equals("SHUTOFF");
        });
        long back = System.nanoTime();
        for (String vm : List.of("vm-auto", "vm-failover")) {
            Poll.until(Duration.ofSeconds(120), vm + " migrated back to node2", () -> {
                JsonNode v = vm(vm);
                return v.path("nodeName").asText().equals("node2") && v.path("status").asText().equals("ACTIVE");
            });
            System.out.printf("node2 back -> %s running on it again: %.1f s%n", vm, (System.nanoTime() - back) / 1e9);
        }
        assertThat(vm("vm-pinned").path("status").asText()).isEqualTo("SHUTOFF");

        // Its serial log on node2 goes on from its first boot there: wait for a second boot message.
        int bootsBefore = boots(2, "vm-pinned");
        ApiSession.Reply started = api.post("/api/v1/vms/vm-pinned/start", Map.of());
        assertThat(started.status()).as(started.message()).isEqualTo(200);
        Poll.until(BOOT, "vm-pinned booted on node2 after its start by hand", () -> boots(2, "vm-pinned") > bootsBefore);
        assertThat(vm("vm-pinned").path("status").asText()).isEqualTo("ACTIVE");
        try (GuestSerial serial = serial(2, "vm-pinned")) {
            assertThat(GuestSerial.value(serial.command("read 1048576 1048576 vdb", Duration.ofSeconds(60)),
                    "READ SHA256 ")).isEqualTo(written.get("vm-pinned"));
        }
        assertThat(events()).contains("node node2 back online").contains("VM vm-pinned pinned to lost node node2");
    }

    @Test
    @Order(3)
    void aVmWhoseQemuDiedIsRestartedByPolicyNotReportedRunning() throws Exception {
        long pid = Long.parseLong(Files.readString(runtimeDir(2, "vm-auto").resolve("qemu.pid")).strip());
        int bootsBefore = boots(2, "vm-auto");
        ProcessHandle qemu = ProcessHandle.of(pid).orElseThrow();
        qemu.destroyForcibly();
        qemu.onExit().join();
        Poll.until(BOOT, "vm-auto booted again on node2", () -> boots(2, "vm-auto") > bootsBefore);
        JsonNode v = vm("vm-auto");
        assertThat(v.path("nodeName").asText()).isEqualTo("node2");
        assertThat(v.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(Long.parseLong(Files.readString(runtimeDir(2, "vm-auto").resolve("qemu.pid")).strip()))
                .isNotEqualTo(pid);
        assertThat(events()).contains("node2 restarts VM vm-auto (QEMU exited unexpectedly");
    }

    private static boolean booted(int node, String vm) {
        return boots(node, vm) > 0;
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

    private static String events() throws IOException {
        ApiSession.Reply r = api.get("/api/v1/events");
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        StringBuilder out = new StringBuilder();
        r.body().path("events").forEach(e -> out.append(e.path("at").asText()).append(' ')
                .append(e.path("text").asText()).append('\n'));
        System.out.print(out);
        return out.toString();
    }
}
