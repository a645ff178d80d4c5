package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
import java.io.IOException;
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
                "nbd://127.0.0.1:" + cluster.node(1).nbdPort() + "/" + name);
        Poll.until(Duration.ofSeconds(15), name + "'s write lease released", () -> {
            try {
                var holder = api.get("/api/v1/volumes/" + name).body().path("leaseHolder");
                return holder.isNull() || holder.isMissingNode();
            } catch (IOException e) {
                return false;
            }
        });
    }

    static void created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
