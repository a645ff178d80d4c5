package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: a VM that QEMU paused on an I/O error is a failed resource, restarted by policy, not
 * reported running (ADR 0029). Every node's disks are a tmpfs of their own with a reserve that
 * leaves them about 88 MiB: the guest's boot volume and a little of its data disk fit, a large
 * write does not. The guest writes past the space, the NBD export answers ENOSPC, QEMU (whose
 * virtio disks stop the VM on ENOSPC) pauses it with status io-error, and the HA engine kills and
 * restarts it: the guest boots again and the events say why.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HaIoErrorIT {
    private static final long MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static final List<Path> mounted = new java.util.ArrayList<>();
    static String id;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        // Every node's disks, since placement sends new chunks to whichever disk has room.
        for (int n = 1; n <= 3; n++) {
            cluster.kill9(n);
            Path disks = cluster.node(n).dir().resolve("disks");
            Path aside = dir.resolve("node" + n + "-disks-aside");
            Files.move(disks, aside);
            Files.createDirectories(disks);
            VmTestBed.run("mount", "-t", "tmpfs", "-o", "size=512m", "keel-ha-io-error-it", disks.toString());
            mounted.add(disks);
            VmTestBed.run("cp", "-a", aside + "/.", disks.toString());
            Path yaml = cluster.node(n).configFile();
            long reserve = Files.getFileStore(disks).getUsableSpace() - 88 * MIB;
            Files.writeString(yaml, Files.readString(yaml).replace("storage:\n",
                    "storage:\n  diskReserve: " + reserve + "\n"));
        }
        for (int n = 1; n <= 3; n++) {
            cluster.restart(n);
        }

        api = cluster.api(1);
        VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "one", "replicas", 1)));
        VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
        VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "io", "vcpus", 1, "ram", "128M")));
        VmTestBed.bootVolume(cluster, api, "boot-io");
        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "io", "flavor", "io", "volume", "boot-io",
                "disks", List.of(Map.of("size", "512M", "policy", "one")), "node", "node3", "placement", "failover"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        id = r.body().path("id").asText();
        Poll.until(Duration.ofSeconds(120), "the guest booted on node3", () -> boots() > 0);
    }

    @AfterAll
    static void down() throws IOException, InterruptedException {
        try {
            if (cluster != null) {
                cluster.close("HaIoErrorIT");
            }
        } finally {
            for (Path m : mounted) {
                VmTestBed.run("umount", "-l", m.toString());
            }
        }
    }

    @Test
    void aVmPausedOnAnIoErrorIsRestartedNotReportedRunning() throws Exception {
        Path runtime = cluster.node(3).dir().resolve("data/vms/" + id);
        long qemuBefore = Long.parseLong(Files.readString(runtime.resolve("qemu.pid")).strip());
        try (GuestSerial serial = GuestSerial.connect(runtime.resolve("serial.sock"), dir.resolve("serial-io.log"))) {
            // The write never completes: QEMU stops the guest on the disk's ENOSPC.
            serial.command("write 0 419430400 full vdb", Duration.ofSeconds(90));
            throw new AssertionError("400 MiB fitted on three disks with about 88 MiB left each");
        } catch (GuestException expected) {
            // timed out, or the console closed when the engine killed the paused QEMU
        }
        Poll.until(Duration.ofSeconds(60), "the engine restarting the paused VM",
                () -> events().contains("node3 restarts VM io (QEMU paused the guest on an I/O error"));
        Poll.until(Duration.ofSeconds(120), "the guest booted again on node3", () -> boots() > 1);
        JsonNode v = api.get("/api/v1/vms/io").body();
        assertThat(v.path("status").asText()).as(v.toString()).isEqualTo("ACTIVE");
        assertThat(v.path("nodeName").asText()).isEqualTo("node3");
        assertThat(Long.parseLong(Files.readString(runtime.resolve("qemu.pid")).strip())).isNotEqualTo(qemuBefore);
    }

    private static int boots() {
        String log = VmTestBed.read(cluster.node(3).dir().resolve("data/vms/" + id + "/serial.log"));
        return log.split("KEEL-GUEST-READY", -1).length - 1;
    }

    private static String events() {
        try {
            StringBuilder out = new StringBuilder();
            api.get("/api/v1/events").body().path("events").forEach(e -> out.append(e.path("text").asText()).append('\n'));
            return out.toString();
        } catch (IOException e) {
            return "";
        }
    }
}
