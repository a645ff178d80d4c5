package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
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
 * Issue 5 items 4-6 and 11 with real node processes and real QEMU (TCG): a VM boots from a Keel
 * volume holding the test guest's disk image, with a new data volume, over NBD from its node; the
 * guest writes to its data disk and reads it back after a stop and start; pause, reboot and the
 * guest's own power-off reach the states users know; the node agent is killed and restarted while
 * the VM runs, and the VM keeps running and stays managed; bad requests are refused with the
 * reason before anything is created.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class VmLifecycleIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final long MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static GuestSerial serial;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        VmTestBed.prepare(cluster, api);
    }

    @AfterAll
    static void down() throws IOException {
        if (serial != null) {
            serial.close();
        }
        if (cluster != null) {
            cluster.close("VmLifecycleIT");
        }
    }

    @Test
    @Order(1)
    void badVmsAreRefusedWithTheReasonBeforeAnythingIsCreated() throws Exception {
        VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "huge", "vcpus", 256, "ram", "4T")));
        ApiSession.Reply huge = api.post("/api/v1/vms", Map.of("name", "big", "flavor", "huge", "volume", "boot1",
                "disks", List.of(Map.of("size", "8M"))));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.message()).contains("bigger than any compute node");
        ApiSession.Reply noFlavor = api.post("/api/v1/vms", Map.of("name", "x", "flavor", "nope", "volume", "boot1"));
        assertThat(noFlavor.status()).isEqualTo(400);
        assertThat(noFlavor.message()).contains("no flavor 'nope'");
        ApiSession.Reply noVolume = api.post("/api/v1/vms", Map.of("name", "x", "flavor", "tiny", "volume", "nope"));
        assertThat(noVolume.status()).isEqualTo(400);
        ApiSession.Reply badName = api.post("/api/v1/vms", Map.of("name", "bad name", "flavor", "tiny", "volume",
                "boot1", "disks", List.of(Map.of("size", "8M"))));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/vms").body()).isEmpty();
        assertThat(api.get("/api/v1/volumes").body()).hasSize(1);
    }

    @Test
    @Order(2)
    void aVmBootsFromAVolumeAndWritesToItsNewDataDisk() throws Exception {
        long t0 = System.nanoTime();
        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "web", "flavor", "tiny", "volume", "boot1",
                "disks", List.of(Map.of("size", "32M")), "node", "node2", "placement", "failover"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).as(r.body().toString()).isEqualTo("ACTIVE");
        assertThat(r.body().path("nodeName").asText()).isEqualTo("node2");
        assertThat(r.body().path("placement").asText()).isEqualTo("failover");
        assertThat(r.body().path("disks")).hasSize(2);

        String id = r.body().path("id").asText();
        awaitBoots(id, 1);
        serial = GuestSerial.connect(serialSocket(2, id), dir.resolve("web-console.log"));
        List<String> blk = serial.command("blk vdb", Duration.ofSeconds(30));
        System.out.printf("VM web: ACTIVE and answering on its serial console %.1f s after create%n",
                (System.nanoTime() - t0) / 1e9);
        assertThat(GuestSerial.value(blk, "BLK SIZE ")).isEqualTo(Long.toString(32 * MIB));
        String written = GuestSerial.value(serial.command("write 1048576 2097152 web vdb", Duration.ofSeconds(60)),
                "WRITE SHA256 ");
        assertThat(GuestSerial.value(serial.command("read 1048576 2097152 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(written);
        Files.writeString(dir.resolve("web.sha"), written);

        // A volume is one VM's: the boot disk cannot become another VM's, and cannot be deleted.
        ApiSession.Reply twice = api.post("/api/v1/vms", Map.of("name", "web2", "flavor", "tiny", "volume", "boot1"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.message()).contains("attached to VM \"web\"");
        assertThat(api.call("DELETE", "/api/v1/volumes/boot1", null).status()).isEqualTo(409);
        ApiSession.Reply clash = api.post("/api/v1/vms", Map.of("name", "web", "flavor", "tiny", "volume", "boot1"));
        assertThat(clash.status()).isEqualTo(409);

        JsonNode compute = api.get("/api/v1/compute").body();
        assertThat(compute.path("ramAllocatedBytes").asLong()).isEqualTo(512 * MIB);
    }

    @Test
    @Order(3)
    void stopStartPauseAndRebootReachTheirStatesAndTheDataStays() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult stop = cluster.cli(home, "vm", "stop", "web", "--timeout", "3");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("Stopped VM web: SHUTOFF");
        assertThat(serial.awaitClosed(Duration.ofSeconds(10))).isTrue();
        serial.close();

        // Offline resize: refused while running (checked in the next test's order), taken while shut off.
        LocalCluster.CliResult resize = cluster.cli(home, "vm", "resize", "web", "--flavor", "small");
        assertThat(resize.code()).as(resize.err()).isZero();
        assertThat(resize.out()).contains("Resized VM web to small: 1 vCPU, 2.0 GiB RAM");
        LocalCluster.CliResult start = cluster.cli(home, "vm", "start", "web");
        assertThat(start.code()).as(start.err() + start.out()).isZero();
        assertThat(start.out()).contains("Started VM web: ACTIVE");
        String id = api.get("/api/v1/vms/web").body().path("id").asText();
        awaitBoots(id, 2);
        serial = GuestSerial.connect(serialSocket(2, id), dir.resolve("web-console-2.log"));
        assertThat(GuestSerial.value(serial.command("read 1048576 2097152 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(Files.readString(dir.resolve("web.sha")));
        // The guest sees its new RAM (the kernel keeps a little for itself).
        long memKiB = Long.parseLong(serial.command("run grep MemTotal /proc/meminfo", Duration.ofSeconds(30)).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().replaceAll("[^0-9]", ""));
        assertThat(memKiB).isGreaterThan(1536L * 1024);
        ApiSession.Reply running = api.post("/api/v1/vms/web/resize", Map.of("flavor", "tiny"));
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.message()).contains("resized while it is shut off");

        assertThat(cluster.cli(home, "vm", "pause", "web").out()).contains("Paused VM web: PAUSED");
        assertThat(cluster.cli(home, "vm", "unpause", "web").out()).contains("Resumed VM web: ACTIVE");
        serial.command("blk vdb", Duration.ofSeconds(30));

        LocalCluster.CliResult reboot = cluster.cli(home, "vm", "reboot", "web", "--hard");
        assertThat(reboot.out()).as(reboot.err()).contains("Rebooted VM web: ACTIVE (reset)");
        awaitBoots(id, 3);
        serial.command("blk vdb", Duration.ofSeconds(30));

        LocalCluster.CliResult list = cluster.cli(home, "vm", "list");
        assertThat(list.out()).contains("web").contains("ACTIVE").contains("node2");
    }

    @Test
    @Order(4)
    void keelVmConsoleReachesTheSerialConsoleThroughAnotherNode() throws Exception {
        // QEMU's console socket serves one client: give it to the CLI, through node1's API, which
        // proxies to node2 where the VM runs.
        serial.close();
        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult console = cluster.cliWithInput(home, "blk vdb\n", "vm", "console", "web",
                "--timeout", "3s");
        assertThat(console.code()).as(console.err()).isZero();
        assertThat(console.out()).contains("BLK SIZE " + 32 * MIB).contains("KEEL-OK");
        String id = api.get("/api/v1/vms/web").body().path("id").asText();
        serial = GuestSerial.connect(serialSocket(2, id), dir.resolve("web-console-3.log"));
    }

    @Test
    @Order(5)
    void theVmOutlivesItsNodeAgentWhichReattachesAfterARestart() throws Exception {
        String id = api.get("/api/v1/vms/web").body().path("id").asText();
        long qemuPid = qemuPid(2, id);
        cluster.kill9(2);
        assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive)).contains(true);
        serial.command("blk vdb", Duration.ofSeconds(30));
        // A write the guest issues while its disks' export is gone waits for the restarted node
        // (QEMU reconnects) instead of failing.
        java.util.concurrent.CompletableFuture<java.util.List<String>> write = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return serial.command("write 2097152 1048576 outage vdb", Duration.ofSeconds(150));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        cluster.restart(2);
        String written = GuestSerial.value(write.get(150, TimeUnit.SECONDS), "WRITE SHA256 ");
        assertThat(GuestSerial.value(serial.command("read 2097152 1048576 vdb", Duration.ofSeconds(60)),
                "READ SHA256 ")).isEqualTo(written);
        // Managed again: the restarted agent drives the same QEMU over QMP. Its view says so once
        // the agent has reattached (until then the VM shows its node's outage).
        Poll.until(Duration.ofSeconds(30), "web ACTIVE again after its agent restarted",
                () -> "ACTIVE".equals(vm("web").path("status").asText()));
        ApiSession.Reply paused = api.post("/api/v1/vms/web/pause", Map.of());
        assertThat(paused.body().path("status").asText()).as(paused.message()).isEqualTo("PAUSED");
        assertThat(qemuPid(2, id)).isEqualTo(qemuPid);
        assertThat(api.post("/api/v1/vms/web/unpause", Map.of()).body().path("status").asText()).isEqualTo("ACTIVE");
        serial.command("blk vdb", Duration.ofSeconds(30));
    }

    @Test
    @Order(6)
    void aGuestThatPowersItselfOffIsShutOffAndStaysOff() throws Exception {
        try {
            serial.command("poweroff", Duration.ofSeconds(5));
        } catch (io.keel.testkit.guest.GuestException e) {
            // The console may close before the guest says OK.
        }
        Poll.until(Duration.ofSeconds(30), "web shut off by its guest",
                () -> "SHUTOFF".equals(vm("web").path("status").asText()));
        JsonNode v = vm("web");
        assertThat(v.path("statusReason").asText()).isEqualTo("the guest powered off");
        assertThat(v.path("power").asText()).isEqualTo("stopped");
    }

    @Test
    @Order(7)
    void deletingAVmDeletesTheVolumesMadeForItOnlyWhenAsked() throws Exception {
        assertThat(api.call("DELETE", "/api/v1/vms/web?deleteVolumes=true", null).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/vms").body()).isEmpty();
        JsonNode volumes = api.get("/api/v1/volumes").body();
        assertThat(volumes).hasSize(1);
        assertThat(volumes.get(0).path("name").asText()).isEqualTo("boot1");
        assertThat(api.get("/api/v1/compute").body().path("ramAllocatedBytes").asLong()).isZero();
    }

    /** Waits for the guest's {@code n}th boot in the VM's serial log, which QEMU writes whether or not anyone listens. */
    private static void awaitBoots(String vmId, int n) throws Exception {
        Path log = serialSocket(2, vmId).resolveSibling("serial.log");
        Poll.until(BOOT, "boot " + n + " of the guest in " + log, () -> {
            try {
                return Files.exists(log) && Files.readString(log).split("KEEL-GUEST-READY", -1).length - 1 >= n;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(8)
    void aVmMadeFromAnUploadedImageBootsFromACopyOnWriteCloneOfIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult up = cluster.cli(home, "image", "upload", GuestImage.locate().bootDiskQcow2().toString(),
                "--name", "guest", "--policy", "two");
        assertThat(up.code()).as(up.err() + up.out()).isZero();
        LocalCluster.CliResult create = cluster.cli(home, "vm", "create", "from-image", "--flavor", "tiny", "--image",
                "guest", "--boot-size", "96M", "--node", "node2");
        assertThat(create.code()).as(create.err() + create.out()).isZero();
        assertThat(create.out()).contains("Created VM from-image: ACTIVE");
        JsonNode v = vm("from-image");
        assertThat(v.path("image").asText()).isNotBlank();
        JsonNode boot = volume(v.path("disks").get(0).path("volume").asText());
        assertThat(boot.path("sizeBytes").asLong()).isEqualTo(96 * MIB);
        awaitBoots(v.path("id").asText(), 1);
        try (GuestSerial console = GuestSerial.connect(serialSocket(2, v.path("id").asText()),
                dir.resolve("from-image.log"))) {
            assertThat(GuestSerial.value(console.command("blk vda", Duration.ofSeconds(30)), "BLK SIZE "))
                    .isEqualTo(Long.toString(96 * MIB));
        }
        // The image is in use while a VM's disk is cloned from it.
        assertThat(cluster.cli(home, "image", "delete", "guest", "--yes").code()).isNotZero();
        assertThat(api.call("DELETE", "/api/v1/vms/from-image?deleteVolumes=true", null).status()).isEqualTo(204);
        LocalCluster.CliResult delete = cluster.cli(home, "image", "delete", "guest", "--yes");
        assertThat(delete.code()).as(delete.err()).isZero();
    }

    private static Path serialSocket(int node, String vmId) {
        Path local = cluster.node(node).dir().resolve("data").resolve("vms").resolve(vmId).resolve("serial.sock");
        return local;
    }

    private static long qemuPid(int node, String vmId) throws IOException {
        return Long.parseLong(Files.readString(serialSocket(node, vmId).resolveSibling("qemu.pid")).strip());
    }

    private static JsonNode vm(String name) {
        try {
            return api.get("/api/v1/vms/" + name).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode volume(String name) {
        try {
            return api.get("/api/v1/volumes/" + name).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


}
