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
 * releasing a node moves its data away, refused while the policy in use needs that node, and a
 * node that joins later takes its share of the data; snapshots (one taken while a writer is
 * busy, one asked of a node other than the writer's), clones, reverts and changed extents.
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
            cluster.close("StorageOperationsIT");
        }
    }

    @Test
    @Order(1)
    void moreReplicasByPolicyAreBuiltInTheBackgroundAndFewerAreDropped() throws Exception {
        assertThat(volume().path("allocatedBytes").asLong()).isEqualTo(24L * MIB);
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

    @Test
    @Order(3)
    void aNewNodeTakesItsShareOfTheDataInTheBackground() throws Exception {
        Path n4 = dir.resolve("node4");
        Files.createDirectories(n4);
        int[] ports = LocalCluster.freePorts(2);
        String token = api.get("/api/v1/join-token").body().path("token").asText();
        Process p = cluster.launch(List.of("--nbd-port", "0", "--name", "node4", "--data-dir",
                n4.resolve("data").toString(), "--bind", "127.0.0.1", "--api-port", Integer.toString(ports[0]),
                "--raft-port", Integer.toString(ports[1]), "--detection-time", "3s", "--grace-period", "5s",
                "--disk", "d0=" + n4.resolve("disks/d0"), "--disk", "d1=" + n4.resolve("disks/d1"),
                "--join", cluster.node(1).apiAddress(), "--token", token), n4, n4.resolve("node.out"));
        try {
            Poll.until(Duration.ofSeconds(60), "node4 waiting to join the storage cluster",
                    () -> "UNASSIGNED".equals(nodeStatus("node4")));
            ApiSession.Reply joined = api.post("/api/v1/nodes/node4/join-cluster", Map.of());
            assertThat(joined.status()).as(joined.message()).isEqualTo(200);
            Poll.until(Duration.ofSeconds(90), "node4 holds copies moved to it, redundancy kept",
                    () -> !chunkFiles(n4).isEmpty() && physical() == 2L * 24 * MIB
                            && "healthy".equals(volume().path("health").asText()));
            System.out.printf("node4 received %d chunk copies by rebalancing%n", chunkFiles(n4).size());
            assertReadsBack(1);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @Order(4)
    void snapshotsCloneRevertAndListChangedExtents() throws Exception {
        // Taken through node1 while nbdcopy writes there: node1 pauses its writer for the snapshot.
        byte[] more = random(8 * MIB, 9);
        Path moreFile = dir.resolve("more.bin");
        Files.write(moreFile, more);
        Process writer = new ProcessBuilder("nbdcopy", moreFile.toString(), nbd(1)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("more.out").toFile()).start();
        Poll.until(Duration.ofSeconds(30), "the writer holds data's lease",
                () -> !writer.isAlive() || !volume().path("leaseHolder").isNull());
        ApiSession.Reply during = api.post("/api/v1/volumes/data/snapshots", Map.of("name", "during"));
        assertThat(during.status()).as(during.message()).isEqualTo(201);
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).as(Files.readString(dir.resolve("more.out"))).isZero();
        Poll.until(Duration.ofSeconds(15), "data's lease released", () -> volume().path("leaseHolder").isNull());

        byte[] expected = Files.readAllBytes(data);
        System.arraycopy(more, 0, expected, 0, more.length);
        ApiSession.Reply snap = api.post("/api/v1/volumes/data/snapshots", Map.of("name", "base"));
        assertThat(snap.status()).as(snap.message()).isEqualTo(201);

        // New data over the first two 2 MiB chunks: copied on write, the snapshot keeps the old.
        Path newer = dir.resolve("newer.bin");
        Files.write(newer, random(4 * MIB, 10));
        run("nbdcopy", newer.toString(), nbd(1));
        JsonNode changed = api.get("/api/v1/volumes/data/changed-extents?from=base").body();
        assertThat(changed.path("changedBytes").asLong()).isEqualTo(4L * MIB);
        assertThat(changed.path("extents").get(0).path("offset").asLong()).isZero();

        ApiSession.Reply clone = api.post("/api/v1/volumes/data/snapshots/base/clone", Map.of("name", "copy"));
        assertThat(clone.status()).as(clone.message()).isEqualTo(201);
        assertPrefix(expected, read(2, "copy"));
        assertPrefix(expected, read(3, "data@base"));

        ApiSession.Reply reverted = api.post("/api/v1/volumes/data/snapshots/base/revert", Map.of());
        assertThat(reverted.status()).as(reverted.message()).isEqualTo(200);
        assertPrefix(expected, read(1, "data"));

        ApiSession.Reply delete = api.call("DELETE", "/api/v1/volumes/data", null);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.message()).contains("base");
    }

    @Test
    @Order(5)
    void aSnapshotAskedOfOneNodeIsTakenByTheNodeWritingTheVolume() throws Exception {
        ApiSession.Reply v = api.post("/api/v1/volumes",
                Map.of("name", "held", "size", "8M", "policy", "two", "chunkSize", "2M"));
        assertThat(v.status()).as(v.message()).isEqualTo(201);
        byte[] expected = random(6 * MIB, 11);
        Path first = dir.resolve("held.bin");
        Files.write(first, expected);
        run("nbdcopy", first.toString(), nbd(2, "held"));
        // A writer that stays connected to node2 with writes acknowledged but not flushed: node2
        // holds the lease, and only its pause of that writer makes them part of a snapshot.
        Path out = dir.resolve("qemu-io.out");
        Process writer = new ProcessBuilder("qemu-io", "-f", "raw", nbd(2, "held")).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            writer.getOutputStream().write("write -P 0x5a 1M 2M\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            writer.getOutputStream().flush();
            Poll.until(Duration.ofSeconds(30), "qemu-io's write acknowledged",
                    () -> !writer.isAlive() || readQuietly(out).contains("wrote 2097152/2097152"));
            assertThat(writer.isAlive()).as(readQuietly(out)).isTrue();
            java.util.Arrays.fill(expected, MIB, 3 * MIB, (byte) 0x5a);
            assertThat(volume("held").path("leaseHolder").asText()).isEqualTo("node2");

            ApiSession.Reply snap = api.post("/api/v1/volumes/held/snapshots", Map.of("name", "s1"));
            assertThat(snap.status()).as(snap.message()).isEqualTo(201);
            assertThat(snap.body().path("name").asText()).isEqualTo("s1");
            assertThat(snap.body().path("volume").asText()).isEqualTo("held");
            ApiSession.Reply taken = api.post("/api/v1/volumes/held/snapshots", Map.of("name", "s1"));
            assertThat(taken.status()).as("node2's refusal comes back as is").isEqualTo(409);
            ApiSession.Reply clone = api.post("/api/v1/volumes/held/snapshots/s1/clone",
                    Map.of("name", "held-copy"));
            assertThat(clone.status()).as(clone.message()).isEqualTo(201);
            assertPrefix(expected, read(1, "held-copy"));

            // node2 gone with its lease still live: a clear error, not a snapshot without its writes.
            // Last, because node4 (test 3) may have stayed a metadata member after it stopped: with
            // node2 gone too, two of four members are up and no further write can be made.
            cluster.kill9(2);
            ApiSession.Reply unreachable = api.post("/api/v1/volumes/held/snapshots", Map.of("name", "s2"));
            assertThat(unreachable.status()).as(unreachable.message()).isEqualTo(503);
            assertThat(unreachable.message()).contains("cannot reach node node2").contains("write lease");
        } finally {
            writer.destroyForcibly();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(int node, String export) throws Exception {
        Path back = dir.resolve("read-" + System.nanoTime());
        run("nbdcopy", "nbd://127.0.0.1:" + cluster.node(node).nbdPort() + "/" + export, back.toString());
        return Files.readAllBytes(back);
    }

    private static void assertPrefix(byte[] expected, byte[] actual) {
        assertThat(actual.length).isGreaterThanOrEqualTo(expected.length);
        assertThat(java.util.Arrays.mismatch(expected, java.util.Arrays.copyOf(actual, expected.length)))
                .as("first differing byte").isEqualTo(-1);
    }

    private static String nodeStatus(String name) {
        try {
            for (JsonNode n : api.get("/api/v1/nodes").body()) {
                if (name.equals(n.path("name").asText())) {
                    return n.path("status").asText();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
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
        return volume("data");
    }

    private static JsonNode volume(String name) {
        try {
            return api.get("/api/v1/volumes/" + name).body();
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
        return chunkFiles(cluster.node(node).dir());
    }

    /** The node's chunk data files; walked again when a chunk service renames a file under the walk. */
    private static List<Path> chunkFiles(Path nodeDir) {
        for (int attempt = 1; ; attempt++) {
            try (var files = Files.walk(nodeDir.resolve("disks"))) {
                return files.filter(p -> p.toString().contains("/chunks/") && p.toString().endsWith(".data")).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 5) {
                    throw e;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static String nbd(int node) {
        return nbd(node, "data");
    }

    private static String nbd(int node, String export) {
        return "nbd://127.0.0.1:" + cluster.node(node).nbdPort() + "/" + export;
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
