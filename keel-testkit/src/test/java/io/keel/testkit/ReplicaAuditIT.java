package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node comes back with its disks wiped, long before its grace period would have its data
 * rebuilt: its lost copies are found (by the metadata leader's replica audit on the scrub
 * schedule, 10 s here, or by the fencing check of whoever opens the volume first) and rebuilt, so
 * the volume regains full redundancy and reads back intact.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplicaAuditIT {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s", "10m");
        // Later runs keep an administrator's edits of node.yaml: scrub (and audit) every 10 s.
        for (int i = 1; i <= 3; i++) {
            Path yaml = cluster.node(i).configFile();
            Files.writeString(yaml, Files.readString(yaml).replace("storage:\n", "storage:\n  scrubInterval: 10s\n"));
        }
        StringWriter progress = new StringWriter();
        cluster.embedded().down(new PrintWriter(progress, true), Duration.ofSeconds(30));
        cluster.embedded().up(new PrintWriter(progress, true));
        api = cluster.api(1);
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host"));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
        ApiSession.Reply v = api.post("/api/v1/volumes", Map.of("name", "audited", "size", "32M", "policy", "two",
                "chunkSize", "2M"));
        assertThat(v.status()).as(v.message()).isEqualTo(201);
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("ReplicaAuditIT");
        }
    }

    @Test
    void copiesLostWithAWipedDiskAreFoundByTheAuditAndRebuilt() throws Exception {
        byte[] data = new byte[16 * MIB];
        new Random(11).nextBytes(data);
        Path file = dir.resolve("audited.bin");
        Files.write(file, data);
        run("nbdcopy", file.toString(), nbd(1));
        Poll.until(Duration.ofSeconds(15), "the writer's lease released", () -> volume().path("leaseHolder").isNull());
        // The writer (node1) takes one copy of each chunk; the other copies go to node2 or node3 by
        // free space, which all nodes share here, so either may hold them all: wipe the one that has most.
        int victim = chunkFiles(2).size() >= chunkFiles(3).size() ? 2 : 3;
        int lost = chunkFiles(victim).size();
        assertThat(lost).as("node" + victim + " holds copies").isPositive();

        cluster.kill9(victim);
        try (Stream<Path> disks = Files.list(cluster.node(victim).dir().resolve("disks"))) {
            for (Path disk : disks.toList()) {
                deleteTree(disk.resolve("keel-chunks"));
            }
        }
        cluster.restart(victim);

        // Whichever looks first finds them: the leader's audit, or the fencing check of a volume
        // open (rebalancing opens volumes too). Either drops the lost copies from the map.
        Poll.until(Duration.ofSeconds(90), "node" + victim + "'s lost copies detected", () -> logs().matches(
                "(?s).*(replica audit: \\d+ replicas checked, [1-9]\\d* missing|inconsistent when the volume was opened).*"));
        Poll.until(Duration.ofSeconds(90), "every chunk on two live copies again", () -> {
            var vol = volume();
            return "healthy".equals(vol.path("health").asText()) && vol.path("physicalBytes").asLong() == 32L * MIB
                    && !logs().contains("needs 1 more replica");
        });
        Path back = dir.resolve("audited.back");
        run("nbdcopy", nbd(victim), back.toString());
        byte[] read = Files.readAllBytes(back);
        assertThat(Arrays.mismatch(data, Arrays.copyOf(read, data.length))).isEqualTo(-1);
    }

    private static com.fasterxml.jackson.databind.JsonNode volume() {
        try {
            return api.get("/api/v1/volumes/audited").body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String logs() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            all.append(cluster.node(i).outputTail(2000)).append('\n');
        }
        return all.toString();
    }

    private static List<Path> chunkFiles(int node) throws IOException {
        try (Stream<Path> files = Files.walk(cluster.node(node).dir().resolve("disks"))) {
            return files.filter(p -> p.toString().contains("/chunks/") && p.toString().endsWith(".data")).toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String nbd(int node) {
        return "nbd://127.0.0.1:" + cluster.node(node).nbdPort() + "/audited";
    }

    private static void run(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out: " + Files.readString(out));
        }
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + Files.readString(out)).isZero();
    }
}
