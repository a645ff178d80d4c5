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
 * Issue 5 item 4 with real node processes and a real QEMU (TCG) guest: a volume attached to a
 * running VM appears in the guest as a hot-plugged virtio disk the guest writes to; extending it
 * online grows the guest's disk with the data intact; detaching unplugs it from the guest and
 * frees the volume, which attached again brings the data back; a hot-plugged disk stays the VM's
 * across a restart. The API is node1's, the VM runs on node2 (ADR 0022).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class VmDiskHotplugIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final Duration GUEST = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;
    private static final String REGION = MIB + " " + (2 * MIB);

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static Path home;
    static GuestSerial serial;
    static String vmId;
    static String pattern;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        home = Files.createDirectories(dir.resolve("home"));
        VmTestBed.prepare(cluster, api);
        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "web", "flavor", "tiny", "volume", "boot1",
                "node", "node2"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).as(r.body().toString()).isEqualTo("ACTIVE");
        vmId = r.body().path("id").asText();
        awaitBoots(1);
        serial = GuestSerial.connect(socket(), dir.resolve("web-console.log"));
    }

    @AfterAll
    static void down() throws IOException {
        if (serial != null) {
            serial.close();
        }
        if (cluster != null) {
            cluster.close("VmDiskHotplugIT");
        }
    }

    @Test
    @Order(1)
    void aNewVolumeAttachedToTheRunningVmAppearsInTheGuest() throws Exception {
        assertThatThrownBy(() -> serial.command("blk vdb", GUEST)).isInstanceOf(GuestException.class)
                .hasMessageContaining("no block device /dev/vdb");
        LocalCluster.CliResult attach = cluster.cli(home, "vm", "volume", "attach", "web", "--size", "32M",
                "--policy", "two");
        assertThat(attach.code()).as(attach.err() + attach.out()).isZero();
        assertThat(attach.out()).contains("Attached a new 32M volume to VM web: ACTIVE");
        JsonNode disks = get("/api/v1/vms/web").path("disks");
        assertThat(disks).hasSize(2);
        assertThat(disks.get(1).path("volume").asText()).isEqualTo("web-disk1");
        assertThat(disks.get(1).path("slot").asInt()).isEqualTo(1);
        assertThat(disks.get(1).path("ownedByVm").asBoolean()).isTrue();

        assertThat(guestDiskSize("vdb")).isEqualTo(32 * MIB);
        pattern = GuestSerial.value(serial.command("write " + REGION + " hotplug vdb", GUEST), "WRITE SHA256 ");
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", GUEST), "READ SHA256 "))
                .isEqualTo(pattern);
        // The guest's writes went to the volume through node2's export, which holds its lease.
        assertThat(get("/api/v1/volumes/web-disk1").path("leaseHolder").asText()).isNotBlank();
    }

    @Test
    @Order(2)
    void extendingTheVolumeOnlineGrowsTheGuestsDiskWithItsDataIntact() throws Exception {
        ApiSession.Reply extend = api.post("/api/v1/volumes/web-disk1/extend", Map.of("size", "64M"));
        assertThat(extend.status()).as(extend.message()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(30), "the guest to see vdb at 64 MiB", () -> blk("vdb") == 64 * MIB);
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", GUEST), "READ SHA256 "))
                .isEqualTo(pattern);
        // The new space takes writes: 1 MiB at 48 MiB, past the old end.
        String tail = GuestSerial.value(serial.command("write " + (48 * MIB) + " " + MIB + " tail vdb", GUEST),
                "WRITE SHA256 ");
        assertThat(GuestSerial.value(serial.command("read " + (48 * MIB) + " " + MIB + " vdb", GUEST),
                "READ SHA256 ")).isEqualTo(tail);
    }

    @Test
    @Order(3)
    void badAttachesAndDetachesAreRefusedWithTheReason() throws Exception {
        ApiSession.Reply boot = api.call("DELETE", "/api/v1/vms/web/volumes/boot1", null);
        assertThat(boot.status()).isEqualTo(400);
        assertThat(boot.message()).contains("is the boot disk of VM \"web\"");
        ApiSession.Reply twice = api.post("/api/v1/vms/web/volumes", Map.of("volume", "web-disk1"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.message()).contains("already a disk of VM \"web\"");
        ApiSession.Reply unknown = api.post("/api/v1/vms/web/volumes", Map.of("volume", "nope"));
        assertThat(unknown.status()).isEqualTo(404);
        ApiSession.Reply both = api.post("/api/v1/vms/web/volumes", Map.of("volume", "web-disk1", "size", "1G"));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.message()).contains("exactly one of volume and size");
        assertThat(get("/api/v1/vms/web").path("disks")).hasSize(2);
    }

    @Test
    @Order(4)
    void aDetachedDiskLeavesTheGuestAndItsVolumeComesBackWithItsData() throws Exception {
        LocalCluster.CliResult detach = cluster.cli(home, "vm", "volume", "detach", "web", "web-disk1");
        assertThat(detach.code()).as(detach.err() + detach.out()).isZero();
        assertThat(detach.out()).contains("Detached web-disk1 from VM web: ACTIVE");
        assertThat(get("/api/v1/vms/web").path("disks")).hasSize(1);
        assertThatThrownBy(() -> serial.command("blk vdb", GUEST)).isInstanceOf(GuestException.class)
                .hasMessageContaining("no block device /dev/vdb");
        Poll.until(Duration.ofSeconds(15), "web-disk1's lease released", () -> {
            JsonNode holder = get("/api/v1/volumes/web-disk1").path("leaseHolder");
            return holder.isNull() || holder.isMissingNode();
        });
        assertThat(get("/api/v1/volumes/web-disk1").path("sizeBytes").asLong()).isEqualTo(64 * MIB);

        ApiSession.Reply again = api.post("/api/v1/vms/web/volumes", Map.of("volume", "web-disk1"));
        assertThat(again.status()).as(again.message()).isEqualTo(200);
        assertThat(guestDiskSize("vdb")).isEqualTo(64 * MIB);
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", GUEST), "READ SHA256 "))
                .isEqualTo(pattern);
    }

    @Test
    @Order(5)
    void aHotPluggedDiskStaysTheVmsAcrossARestart() throws Exception {
        LocalCluster.CliResult stop = cluster.cli(home, "vm", "stop", "web", "--timeout", "3");
        assertThat(stop.out()).as(stop.err()).contains("Stopped VM web: SHUTOFF");
        serial.close();
        LocalCluster.CliResult start = cluster.cli(home, "vm", "start", "web");
        assertThat(start.out()).as(start.err()).contains("VM web: ACTIVE");
        awaitBoots(2);
        serial = GuestSerial.connect(socket(), dir.resolve("web-console-2.log"));
        assertThat(GuestSerial.value(serial.command("read " + REGION + " vdb", GUEST), "READ SHA256 "))
                .isEqualTo(pattern);
    }

    /** The size the guest reports for {@code dev}, polled until the device exists. */
    private static long guestDiskSize(String dev) throws Exception {
        Poll.until(Duration.ofSeconds(30), "the guest to have /dev/" + dev, () -> blk(dev) >= 0);
        return blk(dev);
    }

    /** The size the guest reports for {@code dev}, or -1 if it has no such device. */
    private static long blk(String dev) {
        try {
            return Long.parseLong(GuestSerial.value(serial.command("blk " + dev, GUEST), "BLK SIZE "));
        } catch (GuestException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

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
