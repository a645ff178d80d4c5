package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's benchmark: the time from {@code kill -9} of a node (and of its QEMUs, as a power loss
 * does) to its VM running on another node, {@code keel.bench.runs} times (default 10), with the
 * node defaults (10 s detection, 10 s write leases). Each run is split at the cluster events the
 * HA engine wrote: detection (kill to "node lost"), fencing wait ("node lost" to "node fenced":
 * the leases running out) and restart ("node fenced" to "recovered": QEMU running on the new
 * node). The killed node is started again between runs and the VM migrates back to it, so every
 * run starts the same way. Results go to {@code keel.bench.out}, one line per run:
 * {@code failover totalMs detectionMs fenceMs restartMs bootMs}; then, with
 * {@code keel.bench.evacuate} VMs (default 5), one line {@code evacuate vms ms} for a maintenance
 * evacuation of a node running them all. Not an IT: {@code bench/ha-bench.sh} runs it.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class HaFailoverBench {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final String VICTIM = "node2";

    @TempDir
    static Path dir;

    @Test
    void measure() throws Exception {
        int runs = Integer.getInteger("keel.bench.runs", 10);
        int evacuate = Integer.getInteger("keel.bench.evacuate", 5);
        Path out = Path.of(System.getProperty("keel.bench.out", dir.resolve("results.txt").toString()));
        List<String> results = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "10s")) {
            ApiSession api = cluster.api(1);
            VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2,
                    "failureDomain", "host")));
            VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
            VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "bench", "vcpus", 1, "ram", "128M")));
            VmTestBed.bootVolume(cluster, api, "boot-ha");
            ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "ha", "flavor", "bench", "volume", "boot-ha",
                    "node", VICTIM, "placement", "failover"));
            assertThat(r.status()).as(r.message()).isEqualTo(201);
            String id = r.body().path("id").asText();
            if (runs > 0) {
                Poll.until(BOOT, "the guest's first boot", () -> boots(cluster, 2, id) > 0);
            }
            for (int run = 1; run <= runs; run++) {
                String line = failover(cluster, api, id);
                System.out.println("BENCH run " + run + ": " + line);
                results.add(line);
                Files.write(out, results);
            }
            if (evacuate > 0) {
                assertThat(api.post("/api/v1/vms/ha/stop", Map.of("force", true)).status()).isEqualTo(200);
                String line = new Evacuation(cluster, api).measure(evacuate);
                System.out.println("BENCH " + line);
                results.add(line);
            }
            cluster.close("HaFailoverBench");
        }
        Files.write(out, results);
    }

    /** One power loss of {@link #VICTIM}, measured; returns when the VM is back on it. */
    private static String failover(LocalCluster cluster, ApiSession api, String id) throws Exception {
        long afterSeq = lastSeq(api);
        long qemu = Long.parseLong(Files.readString(runtime(cluster, 2, id).resolve("qemu.pid")).strip());
        Instant killed = Instant.now();
        cluster.kill9(2);
        ProcessHandle.of(qemu).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        String[] host = new String[1];
        Poll.until(Duration.ofSeconds(120), "the VM running on another node", () -> {
            JsonNode v = vm(api);
            host[0] = v.path("nodeName").asText();
            return !host[0].equals(VICTIM) && v.path("status").asText().equals("ACTIVE");
        });
        int node = Integer.parseInt(host[0].substring("node".length()));
        Poll.until(BOOT, "the guest booted on " + host[0], () -> boots(cluster, node, id) > 0);
        Instant booted = Instant.now();
        Map<String, Instant> at = new java.util.HashMap<>();
        Poll.until(Duration.ofSeconds(30), "the lost, fenced and recovered events", () -> {
            at.clear();
            for (JsonNode e : events(api)) {
                if (e.path("seq").asLong() > afterSeq) {
                    at.putIfAbsent(e.path("type").asText(), Instant.parse(e.path("at").asText()));
                }
            }
            return at.containsKey("NodeLost") && at.containsKey("NodeFenced") && at.containsKey("ResourceRecovered");
        });
        Instant lost = at.get("NodeLost");
        Instant fenced = at.get("NodeFenced");
        Instant running = at.get("ResourceRecovered");

        cluster.restart(2);
        Poll.until(Duration.ofSeconds(180), "the VM migrated back to " + VICTIM, () -> {
            JsonNode v = vm(api);
            return v.path("nodeName").asText().equals(VICTIM) && v.path("status").asText().equals("ACTIVE")
                    && v.path("migration").path("phase").asText("completed").equals("completed");
        });
        return String.join(" ", "failover", ms(killed, running), ms(killed, lost), ms(lost, fenced),
                ms(fenced, running), ms(killed, booted));
    }

    private static JsonNode events(ApiSession api) {
        try {
            return api.get("/api/v1/events").body().path("events");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lastSeq(ApiSession api) {
        long seq = 0;
        for (JsonNode e : events(api)) {
            seq = Math.max(seq, e.path("seq").asLong());
        }
        return seq;
    }

    private static String ms(Instant from, Instant to) {
        return Long.toString(Duration.between(from, to).toMillis());
    }

    static int boots(LocalCluster cluster, int node, String id) {
        String log = VmTestBed.read(runtime(cluster, node, id).resolve("serial.log"));
        return log.split("KEEL-GUEST-READY", -1).length - 1;
    }

    static Path runtime(LocalCluster cluster, int node, String id) {
        return cluster.node(node).dir().resolve("data").resolve("vms").resolve(id);
    }

    private static JsonNode vm(ApiSession api) {
        try {
            return api.get("/api/v1/vms/ha").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
