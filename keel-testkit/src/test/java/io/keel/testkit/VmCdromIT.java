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
 * Issue 5 item 2 (ISO images) with real node processes and a real QEMU (TCG) guest: an ISO is
 * uploaded, a VM is created with it in its CD-ROM drive and an empty boot disk to install on, and
 * SeaBIOS boots the CD; the image cannot be deleted while it is in a drive; the disc is ejected
 * and inserted again while the guest runs (QEMU's tray, seen in the host's log). ADR 0025.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VmCdromIT {
    private static final Duration BOOT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static Path home;
    static String vmId;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        home = Files.createDirectories(dir.resolve("home"));
        VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", java.util.List.of("node1", "node2", "node3"))));
        GuestImage guest = GuestImage.locate();
        LocalCluster.CliResult iso = cluster.cli(home, "image", "upload", guest.bootIso().toString(), "--name",
                "guest-iso");
        assertThat(iso.code()).as(iso.err() + iso.out()).isZero();
        assertThat(iso.out()).contains("Image guest-iso is ACTIVE: iso");
        LocalCluster.CliResult qcow = cluster.cli(home, "image", "upload", guest.bootDiskQcow2().toString(), "--name",
                "guest-disk");
        assertThat(qcow.code()).as(qcow.err() + qcow.out()).isZero();
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("VmCdromIT");
        }
    }

    @Test
    @Order(1)
    void aVmWithAnIsoInItsDriveAndAnEmptyBootDiskBootsTheCd() throws Exception {
        LocalCluster.CliResult create = cluster.cli(home, "vm", "create", "inst", "--flavor", "tiny", "--cdrom",
                "guest-iso", "--boot-size", "32M", "--node", "node2");
        assertThat(create.code()).as(create.err() + create.out()).isZero();
        assertThat(create.out()).contains("Created VM inst: ACTIVE");
        JsonNode vm = get("/api/v1/vms/inst");
        vmId = vm.path("id").asText();
        assertThat(vm.path("cdrom").asText()).isEqualTo("guest-iso");
        assertThat(vm.path("disks")).hasSize(1);
        assertThat(vm.path("disks").get(0).path("volume").asText()).isEqualTo("inst-boot");

        Path log = vmDir().resolve("serial.log");
        Poll.until(BOOT, "the guest to boot from the CD", () -> read(log).contains("KEEL-GUEST-READY"));
        assertThat(read(log)).contains("ISOLINUX");
        try (GuestSerial serial = GuestSerial.connect(vmDir().resolve("serial.sock"), dir.resolve("inst.log"))) {
            // The boot disk is there, empty, for an installer to write to.
            assertThat(GuestSerial.value(serial.command("blk vda", Duration.ofSeconds(60)), "BLK SIZE "))
                    .isEqualTo(Long.toString(32L << 20));
        }
        LocalCluster.CliResult show = cluster.cli(home, "vm", "show", "inst");
        assertThat(show.out()).contains("cdrom: guest-iso");
    }

    @Test
    @Order(2)
    void anIsoInADriveIsNotDeletedAndADiskImageIsNoDisc() throws Exception {
        ApiSession.Reply delete = api.call("DELETE", "/api/v1/images/guest-iso", null);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.message()).contains("is in the CD-ROM drive of VMs \"inst\"");
        ApiSession.Reply notIso = api.call("PUT", "/api/v1/vms/inst/cdrom", Map.of("image", "guest-disk"));
        assertThat(notIso.status()).isEqualTo(400);
        assertThat(notIso.message()).contains("is a qcow2 image, not an ISO");
        ApiSession.Reply noDisk = api.post("/api/v1/vms", Map.of("name", "x", "flavor", "tiny", "cdrom", "guest-iso"));
        assertThat(noDisk.status()).isEqualTo(400);
        assertThat(noDisk.message()).contains("needs bootSize");
        assertThat(get("/api/v1/vms/inst").path("cdrom").asText()).isEqualTo("guest-iso");
    }

    @Test
    @Order(3)
    void theDiscIsEjectedAndInsertedWhileTheGuestRuns() throws Exception {
        LocalCluster.CliResult eject = cluster.cli(home, "vm", "cdrom", "eject", "inst");
        assertThat(eject.code()).as(eject.err() + eject.out()).isZero();
        assertThat(get("/api/v1/vms/inst").path("cdrom").isNull()).isTrue();
        Path out = cluster.node(2).outputFile();
        Poll.until(Duration.ofSeconds(20), "node2 to eject the disc", () -> read(out).contains("VM inst: CD-ROM ejected"));

        LocalCluster.CliResult insert = cluster.cli(home, "vm", "cdrom", "insert", "inst", "guest-iso");
        assertThat(insert.code()).as(insert.err() + insert.out()).isZero();
        Poll.until(Duration.ofSeconds(20), "node2 to insert the disc",
                () -> read(out).contains("VM inst: CD-ROM now holds image-guest-iso@golden"));
        assertThat(get("/api/v1/vms/inst").path("status").asText()).isEqualTo("ACTIVE");

        // Stopped and ejected, the image may go.
        cluster.cli(home, "vm", "stop", "inst", "--force");
        cluster.cli(home, "vm", "cdrom", "eject", "inst");
        assertThat(api.call("DELETE", "/api/v1/images/guest-iso", null).status()).isEqualTo(204);
    }

    private static Path vmDir() {
        return cluster.node(2).dir().resolve("data").resolve("vms").resolve(vmId);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
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
