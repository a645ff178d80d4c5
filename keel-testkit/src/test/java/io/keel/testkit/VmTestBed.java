package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the VM integration tests start from: on a 3-node cluster, storage policy "two" (2 replicas,
 * failure domain host), a compute cluster of all three nodes, and volume "boot1" (64 MiB) holding
 * the test guest's bootable disk, written over NBD through node1 and released again.
 */
final class VmTestBed {
    private VmTestBed() {}

    static void prepare(LocalCluster cluster, ApiSession api) throws Exception {
        created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
        bootVolume(cluster, api, "boot1");
    }

    /** Volume {@code name} (64 MiB, policy "two") holding the test guest's bootable disk, released again. */
    static void bootVolume(LocalCluster cluster, ApiSession api, String name) throws Exception {
        created(api.post("/api/v1/volumes", Map.of("name", name, "size", "64M", "policy", "two", "chunkSize", "4M")));
        run("nbdcopy", GuestImage.locate().bootDisk().toString(),
                "nbd://" + cluster.node(1).host() + ":" + cluster.node(1).nbdPort() + "/" + name);
        Poll.until(Duration.ofSeconds(15), name + "'s write lease released", () -> {
            try {
                var holder = api.get("/api/v1/volumes/" + name).body().path("leaseHolder");
                return holder.isNull() || holder.isMissingNode();
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** What {@link #countingVm} made: the VM's id, its serial console, the SHA-256 of what the guest wrote. */
    record CountingVm(String id, GuestSerial serial, String written) {}

    /**
     * VM "web" with flavor {@code flavor} (1 vCPU, 128 MiB, made here), booted from boot1 with a new
     * 32 MiB disk, running on node2: its guest has written 2 MiB (seed {@code seed}) at 1 MiB on vdb
     * and counts on its console ({@link GuestCounter}).
     */
    static CountingVm countingVm(LocalCluster cluster, ApiSession api, Path dir, String flavor, String seed)
            throws Exception {
        created(api.post("/api/v1/flavors", Map.of("name", flavor, "vcpus", 1, "ram", "128M")));
        ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "web", "flavor", flavor, "volume", "boot1",
                "disks", List.of(Map.of("size", "32M")), "node", "node2"));
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        assertThat(r.body().path("status").asText()).as(r.body().toString()).isEqualTo("ACTIVE");
        String id = r.body().path("id").asText();
        Path runtime = cluster.node(2).dir().resolve("data").resolve("vms").resolve(id);
        Path log = runtime.resolve("serial.log");
        Poll.until(Duration.ofSeconds(90), "the guest's boot", () -> read(log).contains("KEEL-GUEST-READY"));
        GuestSerial serial = GuestSerial.connect(runtime.resolve("serial.sock"), dir.resolve("web-1.log"));
        String written = GuestSerial.value(serial.command("write 1048576 2097152 " + seed + " vdb",
                Duration.ofSeconds(60)), "WRITE SHA256 ");
        GuestCounter.start(serial);
        Poll.until(Duration.ofSeconds(20), "the counter", () -> GuestCounter.last(read(log)).orElse(-1) > 3);
        return new CountingVm(id, serial, written);
    }

    /** A file's text, or "" while it does not exist or cannot be read (a log being written). */
    static String read(Path p) {
        try {
            return java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The body of a reply that must be 201 Created. */
    static com.fasterxml.jackson.databind.JsonNode created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
        return r.body();
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
