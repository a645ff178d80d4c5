package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * What an administrator does to storage that holds data, with three real node processes: a
 * policy change re-places existing chunks in the background (more replicas, then fewer), and
 * releasing a node moves its data away, refused while the policy in use needs that node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StorageOperationsIT {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static Path data;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s", "5s");
        api = cluster.api(1);
        policy("one", 1);
        policy("two", 2);
        policy("three", 3);
        ApiSession.Reply v = api.post("/api/v1/volumes",
                Map.of("name", "data", "size", "32M", "policy", "one", "chunkSize", "2M"));
        assertThat(v.status()).as(v.message()).isEqualTo(201);
        byte[] b = new byte[24 * MIB];
        new Random(7).nextBytes(b);
        data = dir.resolve("data.bin");
        Files.write(data, b);
        run("nbdcopy", data.toString(), nbd(1));
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void moreReplicasByPolicyAreBuiltInTheBackgroundAndFewerAreDropped() throws Exception {
        assertThat(volume().path("physicalBytes").asLong()).isEqualTo(24L * MIB);
        assertThat(api.put("/api/v1/volumes/data/policy", Map.of("policy", "three")).status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), "three replicas of every chunk",
                () -> physical() == 3L * 24 * MIB && "healthy".equals(volume().path("health").asText()));

        assertThat(api.put("/api/v1/volumes/data/policy", Map.of("policy", "two")).status()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), "surplus replicas dropped", () -> physical() == 2L * 24 * MIB);
        assertReadsBack(2);
    }

    @Test
    @Order(2)
    void releasingANodeIsRefusedWhileThePolicyNeedsItThenMovesItsDataAway() throws Exception {
        assertThat(api.put("/api/v1/volumes/data/policy", Map.of("policy", "three")).status()).isEqualTo(200);
        ApiSession.Reply refused = api.post("/api/v1/nodes/node3/release", Map.of());
        assertThat(refused.status()).isIn(400, 409);
        assertThat(refused.message()).contains("three");

        assertThat(api.put("/api/v1/volumes/data/policy", Map.of("policy", "two")).status()).isEqualTo(200);
        ApiSession.Reply released = api.post("/api/v1/nodes/node3/release", Map.of());
        assertThat(released.status()).as(released.message()).isEqualTo(200);
        assertThat(released.body().path("release").asText()).contains("draining");

        Poll.until(Duration.ofSeconds(90), "node3 holds no chunk copies", () -> chunkFiles(3).isEmpty()
                && physical() == 2L * 24 * MIB && "healthy".equals(volume().path("health").asText()));
        assertReadsBack(1);
        ApiSession.Reply cancelled = api.call("DELETE", "/api/v1/nodes/node3/release", null);
        assertThat(cancelled.status()).as(cancelled.message()).isEqualTo(200);
    }

    private static void assertReadsBack(int node) throws Exception {
        Path back = dir.resolve("back-" + System.nanoTime());
        run("nbdcopy", nbd(node), back.toString());
        byte[] expected = Files.readAllBytes(data);
        byte[] actual = Files.readAllBytes(back);
        assertThat(java.util.Arrays.mismatch(expected, java.util.Arrays.copyOf(actual, expected.length))).isEqualTo(-1);
    }

    private static long physical() {
        return volume().path("physicalBytes").asLong();
    }

    private static JsonNode volume() {
        try {
            return api.get("/api/v1/volumes/data").body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void policy(String name, int replicas) throws IOException {
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", name, "replicas", replicas,
                "failureDomain", "host"));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
    }

    private static List<Path> chunkFiles(int node) {
        try (var files = Files.walk(cluster.node(node).dir().resolve("disks"))) {
            return files.filter(p -> p.toString().contains("/chunks/") && p.toString().endsWith(".data")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String nbd(int node) {
        return "nbd://127.0.0.1:" + cluster.node(node).nbdPort() + "/data";
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
