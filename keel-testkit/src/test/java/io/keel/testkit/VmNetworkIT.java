package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestException;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 item 4 (NICs) with real node processes, real QEMU (TCG) guests and a real Linux bridge
 * on this host, made by the test and holding nothing but the test's taps: VM "a" is created with a
 * NIC on a bridge network, VM "b" gets one hot-plugged while it runs, and the two guests ping each
 * other across the bridge, also after "b" moved to another node by live migration; a NAT NIC is
 * plugged into a running guest and unplugged again; a NIC
 * detached or a VM stopped takes its tap off the host. ADR 0023.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class VmNetworkIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration GUEST = Duration.ofSeconds(60);
    private static final Path SYS_NET = Path.of("/sys/class/net");

    @TempDir
    static Path dir;

    static String bridge;
    static LocalCluster cluster;
    static ApiSession api;
    static Path home;
    static GuestSerial a;
    static GuestSerial b;
    static String macA;
    static String macB;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "bridge networks need root (CAP_NET_ADMIN) to make a bridge and taps");
        bridge = "kbrt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        VmTestBed.run("ip", "link", "add", bridge, "type", "bridge");
        VmTestBed.run("ip", "link", "set", "dev", bridge, "up");
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        home = Files.createDirectories(dir.resolve("home"));
        VmTestBed.prepare(cluster, api);
        VmTestBed.bootVolume(cluster, api, "boot2");
        LocalCluster.CliResult lan = cluster.cli(home, "network", "create", "lan", "--type", "bridge", "--bridge",
                bridge);
        assertThat(lan.out()).as(lan.err()).contains("Created network lan (bridge, on Linux bridge " + bridge + ")");
        VmTestBed.created(api.post("/api/v1/networks", Map.of("name", "out", "type", "nat")));

        ApiSession.Reply ra = api.post("/api/v1/vms", Map.of("name", "a", "flavor", "tiny", "volume", "boot1",
                "node", "node2", "nics", List.of(Map.of("network", "lan"))));
        assertThat(ra.status()).as(ra.message()).isEqualTo(201);
        assertThat(ra.body().path("status").asText()).as(ra.body().toString()).isEqualTo("ACTIVE");
        macA = ra.body().path("nics").get(0).path("mac").asText();
        ApiSession.Reply rb = api.post("/api/v1/vms", Map.of("name", "b", "flavor", "tiny", "volume", "boot2",
                "node", "node2"));
        assertThat(rb.status()).as(rb.message()).isEqualTo(201);
        a = console(ra.body().path("id").asText(), "a");
        b = console(rb.body().path("id").asText(), "b");
    }

    @AfterAll
    static void down() throws Exception {
        for (GuestSerial g : new GuestSerial[] {a, b}) {
            if (g != null) {
                g.close();
            }
        }
        if (cluster != null) {
            cluster.close("VmNetworkIT");
        }
        if (bridge != null) {
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void aNicGivenAtCreationIsTheGuestsEth0OnATapOnTheBridge() throws Exception {
        assertThat(macA).matches("52:54:00(:[0-9a-f]{2}){3}");
        assertThat(a.command("run cat /sys/class/net/eth0/address", GUEST)).contains(macA);
        assertThat(bridgePorts()).hasSize(1);
        LocalCluster.CliResult show = cluster.cli(home, "vm", "show", "a");
        assertThat(show.out()).contains("0  " + macA + "  lan");
    }

    @Test
    @Order(2)
    void aNicHotPluggedIntoARunningGuestReachesTheOtherGuestOverTheBridge() throws Exception {
        assertThatThrownBy(() -> b.command("run cat /sys/class/net/eth0/address", GUEST))
                .isInstanceOf(GuestException.class);
        LocalCluster.CliResult attach = cluster.cli(home, "vm", "nic", "attach", "b", "lan");
        assertThat(attach.code()).as(attach.err() + attach.out()).isZero();
        assertThat(attach.out()).contains("Attached a NIC on lan");
        macB = get("/api/v1/vms/b").path("nics").get(0).path("mac").asText();
        Poll.until(Duration.ofSeconds(30), "eth0 in guest b", () -> output(b, "run cat /sys/class/net/eth0/address")
                .contains(macB));
        assertThat(bridgePorts()).hasSize(2);

        a.command("run ip addr add 10.77.0.1/24 dev eth0 && ip link set eth0 up", GUEST);
        b.command("run ip addr add 10.77.0.2/24 dev eth0 && ip link set eth0 up", GUEST);
        List<String> ping = b.command("run ping -c 3 -W 5 10.77.0.1", GUEST);
        assertThat(String.join("\n", ping)).contains("3 packets transmitted, 3 packets received");
        assertThat(String.join("\n", a.command("run ping -c 1 -W 5 10.77.0.2", GUEST))).contains("1 packets received");

        // The pings show in a's NIC counters, through node1's API (which asks node2).
        Poll.until(Duration.ofSeconds(30), "a's NIC counters to show the pings", () -> {
            JsonNode nics = get("/api/v1/vms/a/stats").path("nics");
            return nics.size() == 1 && nics.get(0).path("rxPackets").asLong() >= 3
                    && nics.get(0).path("txPackets").asLong() >= 3;
        });
        assertThat(get("/api/v1/vms/a/stats").path("nics").get(0).path("nic").asText()).isEqualTo("nic0");
    }

    @Test
    @Order(3)
    void aGuestWithABridgeNicMigratedToAnotherNodeStaysReachable() throws Exception {
        // node2 and node3 share this host and its bridge: their taps for b must not collide.
        LocalCluster.CliResult mig = cluster.cli(home, "vm", "migrate", "b", "--to", "node3", "--wait", "120");
        assertThat(mig.code()).as(mig.err() + mig.out()).isZero();
        assertThat(get("/api/v1/vms/b").path("nodeName").asText()).isEqualTo("node3");
        b.close();
        b = GuestSerial.connect(runtimeDir(3, get("/api/v1/vms/b").path("id").asText()).resolve("serial.sock"),
                dir.resolve("b-node3-console.log"));
        Poll.until(Duration.ofSeconds(30), "a to reach b on node3",
                () -> output(a, "run ping -c 1 -W 3 10.77.0.2").contains("1 packets received"));
        // node2 removes b's old tap once its QEMU there has quit: a's tap and b's new one stay.
        Poll.until(Duration.ofSeconds(15), "b's tap on node2 removed", () -> bridgePorts().size() == 2);
    }

    @Test
    @Order(4)
    void aNatNicIsPluggedAndUnpluggedWhileTheGuestRuns() throws Exception {
        ApiSession.Reply attach = api.post("/api/v1/vms/a/nics", Map.of("network", "out", "mac", "52:54:00:aa:bb:01"));
        assertThat(attach.status()).as(attach.message()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(30), "eth1 in guest a", () -> output(a, "run cat /sys/class/net/eth1/address")
                .contains("52:54:00:aa:bb:01"));
        // A NAT NIC has no tap: the bridge keeps its two ports.
        assertThat(bridgePorts()).hasSize(2);
        ApiSession.Reply detach = api.call("DELETE", "/api/v1/vms/a/nics/52:54:00:aa:bb:01", null);
        assertThat(detach.status()).as(detach.message()).isEqualTo(200);
        assertThat(detach.body().path("nics")).hasSize(1);
        assertThatThrownBy(() -> a.command("run cat /sys/class/net/eth1/address", GUEST))
                .isInstanceOf(GuestException.class);
    }

    @Test
    @Order(5)
    void badNetworkRequestsAreRefusedWithTheReason() throws Exception {
        ApiSession.Reply used = api.call("DELETE", "/api/v1/networks/lan", null);
        assertThat(used.status()).isEqualTo(409);
        assertThat(used.message()).contains("has NICs of VMs \"a\", \"b\"");
        ApiSession.Reply dup = api.post("/api/v1/vms/a/nics", Map.of("network", "lan", "mac", macB));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.message()).contains("already used");
        ApiSession.Reply unknown = api.post("/api/v1/vms/a/nics", Map.of("network", "nope"));
        assertThat(unknown.status()).isEqualTo(404);
        ApiSession.Reply badType = api.post("/api/v1/networks", Map.of("name", "x", "type", "vxlan"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.message()).contains("bridge or nat");
        assertThat(get("/api/v1/vms/a").path("nics")).hasSize(1);
    }

    @Test
    @Order(6)
    void detachingANicOrStoppingAVmTakesItsTapOffTheHost() throws Exception {
        LocalCluster.CliResult detach = cluster.cli(home, "vm", "nic", "detach", "b", macB);
        assertThat(detach.code()).as(detach.err() + detach.out()).isZero();
        assertThatThrownBy(() -> b.command("run cat /sys/class/net/eth0/address", GUEST))
                .isInstanceOf(GuestException.class);
        Poll.until(Duration.ofSeconds(15), "b's tap off the bridge", () -> bridgePorts().size() == 1);
        LocalCluster.CliResult stop = cluster.cli(home, "vm", "stop", "a", "--force");
        assertThat(stop.out()).as(stop.err()).contains("Stopped VM a: SHUTOFF");
        Poll.until(Duration.ofSeconds(15), "a's tap off the bridge", () -> bridgePorts().isEmpty());
    }

    private static Path runtimeDir(int node, String vmId) {
        return cluster.node(node).dir().resolve("data").resolve("vms").resolve(vmId);
    }

    private static GuestSerial console(String vmId, String name) throws Exception {
        Path socket = runtimeDir(2, vmId).resolve("serial.sock");
        Path log = socket.resolveSibling("serial.log");
        Poll.until(BOOT, "guest " + name + " to boot", () -> {
            try {
                return Files.exists(log) && Files.readString(log).contains("KEEL-GUEST-READY");
            } catch (IOException e) {
                return false;
            }
        });
        return GuestSerial.connect(socket, dir.resolve(name + "-console.log"));
    }

    private static String output(GuestSerial g, String command) {
        try {
            return String.join("\n", g.command(command, GUEST));
        } catch (GuestException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> bridgePorts() {
        try (Stream<Path> ports = Files.list(SYS_NET.resolve(bridge).resolve("brif"))) {
            return ports.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode get(String path) {
        try {
            return api.get(path).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
