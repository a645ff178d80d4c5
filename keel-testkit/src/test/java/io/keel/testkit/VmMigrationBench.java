package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live-migration total time and downtime for test guests of the RAM sizes in
 * {@code keel.bench.ramMiB} (comma-separated, default 128), each moved node2 → node3 → node2
 * {@code keel.bench.rounds} times (default 2). Results go to {@code keel.bench.out} as lines
 * {@code ramMiB totalMs downtimeMs pauseMs}. Not an IT: only run when asked for
 * ({@code bench/vm-migrate-bench.sh}, or {@code -Dit.test=VmMigrationBench}).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class VmMigrationBench {
    @TempDir
    static Path dir;

    @Test
    void measure() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("keel.bench.ramMiB", "128").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int rounds = Integer.getInteger("keel.bench.rounds", 2);
        Path out = Path.of(System.getProperty("keel.bench.out", dir.resolve("results.txt").toString()));
        List<String> results = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "3s")) {
            ApiSession api = cluster.api(1);
            created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
            created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
            created(api.post("/api/v1/volumes", Map.of("name", "boot", "size", "64M", "policy", "two",
                    "chunkSize", "4M")));
            run("nbdcopy", GuestImage.locate().bootDisk().toString(),
                    "nbd://127.0.0.1:" + cluster.node(1).nbdPort() + "/boot");
            for (int ram : sizes) {
                String name = "bench-" + ram;
                created(api.post("/api/v1/flavors", Map.of("name", name, "vcpus", 1, "ram", ram + "M")));
                Poll.until(Duration.ofSeconds(15), "boot's write lease released",
                        () -> leaseFree(api, "boot"));
                ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", name, "flavor", name, "volume", "boot",
                        "node", "node2"));
                assertThat(r.status()).as(r.message()).isEqualTo(201);
                String id = r.body().path("id").asText();
                Path log = cluster.node(2).dir().resolve("data/vms/" + id + "/serial.log");
                Poll.until(Duration.ofSeconds(90), "the guest's boot", () -> contains(log, "KEEL-GUEST-READY"));
                for (int i = 0; i < rounds * 2; i++) {
                    String to = i % 2 == 0 ? "node3" : "node2";
                    JsonNode v = api.post("/api/v1/vms/" + name + "/migrate", Map.of("node", to, "waitSeconds", 120))
                            .body();
                    JsonNode m = v.path("migration");
                    assertThat(m.path("phase").asText()).as(v.toString()).isEqualTo("completed");
                    String line = ram + " " + m.path("totalMs").asLong() + " " + m.path("downtimeMs").asLong() + " "
                            + m.path("pauseMs").asLong();
                    System.out.println("BENCH " + line);
                    results.add(line);
                }
                assertThat(api.post("/api/v1/vms/" + name + "/stop", Map.of("force", true)).status()).isEqualTo(200);
                assertThat(api.call("DELETE", "/api/v1/vms/" + name, null).status()).isEqualTo(204);
            }
            for (int n = 1; n <= 3; n++) {
                cluster.node(n).outputTail(4000).lines()
                        .filter(l -> l.contains("live migration") || l.contains("running here after")
                                || l.contains("all state sent") || l.contains("standby open took"))
                        .forEach(l -> System.out.println("node log: " + l));
            }
        }
        Files.write(out, results);
    }

    private static boolean leaseFree(ApiSession api, String volume) {
        try {
            JsonNode holder = api.get("/api/v1/volumes/" + volume).body().path("leaseHolder");
            return holder.isNull() || holder.isMissingNode();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean contains(Path p, String s) {
        try {
            return Files.exists(p) && Files.readString(p).contains(s);
        } catch (IOException e) {
            return false;
        }
    }

    private static void created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + text).isZero();
    }
}
