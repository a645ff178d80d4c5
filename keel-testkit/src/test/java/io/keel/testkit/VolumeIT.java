package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestException;
import io.keel.testkit.guest.GuestOptions;
import io.keel.testkit.guest.GuestPattern;
import io.keel.testkit.guest.TestGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * Issue 4 with real node processes and a real NBD client (libnbd's nbdcopy): a replicated volume
 * is written through one node and read back through another; kill -9 of a replica's node during
 * writes loses no acknowledged byte, and after the grace period the missing replicas are rebuilt
 * on the surviving nodes so the volume is healthy again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class VolumeIT {
    private static final int MIB = 1 << 20;
    private static final Duration GUEST_IO = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static NbdVolumes vols;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s", "5s");
        api = cluster.api(1);
        vols = new NbdVolumes(cluster, api, dir);
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host"));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("VolumeIT");
        }
    }

    @Test
    @Order(1)
    void badVolumeRequestsAreRefusedWithTheReason() throws Exception {
        ApiSession.Reply badSize = api.post("/api/v1/volumes", Map.of("name", "x", "size", "12Q", "policy", "two"));
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.message()).contains("12Q");
        ApiSession.Reply badName = api.post("/api/v1/volumes", Map.of("name", "Bad Name", "size", "8M", "policy", "two"));
        assertThat(badName.status()).isEqualTo(400);
        ApiSession.Reply noPolicy = api.post("/api/v1/volumes", Map.of("name", "x", "size", "8M", "policy", "nope"));
        assertThat(noPolicy.status()).isIn(400, 404);
        ApiSession.Reply reserved = api.post("/api/v1/volumes", Map.of("name", "s3-mine", "size", "8M", "policy", "two"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.message()).contains("reserved for the S3 gateways");
        assertThat(api.get("/api/v1/volumes").body()).isEmpty();
    }

    @Test
    @Order(2)
    void aVolumeWrittenThroughOneNodeReadsBackThroughAnother() throws Exception {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", "vol1", "size", "64M", "policy", "two", "chunkSize", "4M"));
        assertThat(created.status()).as(created.message()).isEqualTo(201);
        assertThat(created.body().path("health").asText()).isEqualTo("healthy");

        Path data = randomFile("a.bin", 40 * MIB, 1);
        long t0 = System.nanoTime();
        run("nbdcopy", data.toString(), nbd(1, "vol1"));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("nbdcopy wrote 40 MiB to a 2-replica volume in %.2f s (%.1f MiB/s)%n", secs, 40 / secs);
        // The writer's lease goes when its last connection has closed; reads through another node
        // need it gone (NBD has no read-only open, so a second node would take the lease).
        Poll.until(Duration.ofSeconds(15), "vol1's write lease released", () -> writerOf("vol1") == null);
        Path back = dir.resolve("a.back");
        run("nbdcopy", nbd(2, "vol1"), back.toString());
        assertSamePrefix(data, back);

        JsonNode v = api.get("/api/v1/volumes/vol1").body();
        assertThat(v.path("allocatedBytes").asLong()).isEqualTo(40L * MIB);
        assertThat(v.path("health").asText()).isEqualTo("healthy");
        // Rebalancing may hold a third copy of a chunk for a moment while it moves one.
        Poll.until(Duration.ofSeconds(30), "two copies of every chunk", () -> {
            try {
                return api.get("/api/v1/volumes/vol1").body().path("physicalBytes").asLong() == 80L * MIB;
            } catch (IOException e) {
                return false;
            }
        });

        ApiSession.Reply shrink = api.post("/api/v1/volumes/vol1/extend", Map.of("size", "32M"));
        assertThat(shrink.status()).isEqualTo(400);
        assertThat(shrink.message()).contains("never shrink");
    }

    @Test
    @Order(3)
    void killingAReplicaNodeDuringWritesLosesNothingAndTheVolumeHealsAfterTheGracePeriod() throws Exception {
        Path data = randomFile("b.bin", 48 * MIB, 2);
        Process writer = new ProcessBuilder("nbdcopy", "--request-size=1048576", data.toString(), nbd(1, "vol1"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nbdcopy-b.out").toFile()).start();
        // Some writes land before the kill and some after: wait until the writer holds the lease.
        Poll.until(Duration.ofSeconds(30), "nbdcopy holds the write lease of vol1",
                () -> !writer.isAlive() || writerOf("vol1") != null);
        cluster.kill9(3);
        long killedAt = System.nanoTime();
        assertThat(writer.waitFor(90, TimeUnit.SECONDS)).as("nbdcopy finishes; node1:%n%s", cluster.node(1).outputTail(60))
                .isTrue();
        assertThat(writer.exitValue()).as(Files.readString(dir.resolve("nbdcopy-b.out"))).isZero();

        Poll.until(Duration.ofSeconds(15), "vol1's write lease released", () -> writerOf("vol1") == null);
        Path back = dir.resolve("b.back");
        run("nbdcopy", nbd(2, "vol1"), back.toString());
        assertSamePrefix(data, back);

        Poll.until(Duration.ofSeconds(90), "vol1 healthy again without node3",
                () -> "healthy".equals(health("vol1")));
        double healed = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("vol1 healthy again %.1f s after kill -9 of node3 (grace period 5 s)%n", healed);

        Path again = dir.resolve("b.again");
        run("nbdcopy", nbd(1, "vol1"), again.toString());
        assertSamePrefix(data, again);
    }

    @Test
    @Order(4)
    void aReturningNodesStaleCopiesAreDiscardedAndALostNodeIsRebuiltOnlyAfterTheGracePeriod() throws Exception {
        cluster.restart(3);
        // Its copies were dropped from the chunk maps while it was away: they go after a delay
        // (rebalancing may meanwhile give it fresh copies, so count deletions, not files).
        assertThat(chunkFiles(3)).isNotEmpty();
        // Checked before node2 goes: node2's copies rebuilt onto node3 would replace the stale files.
        Poll.until(Duration.ofSeconds(60), "node3's stale chunk copies deleted",
                () -> metric(3, "keel_chunks_collected_total") > 0);
        // Kill node2 while chunks are being rebalanced onto the returning node3 (a few every 2 s):
        // healing opens the volume and moves chunks in the very seconds node2 is dead but not yet
        // called down, which must not drop node2's intact copies before the grace period (ADR 0028).
        Poll.until(Duration.ofSeconds(60), "rebalancing onto node3 started",
                () -> metric(1, "keel_rebalance_chunks_total") + metric(2, "keel_rebalance_chunks_total")
                        + metric(3, "keel_rebalance_chunks_total") > 0);
        long killedAt = System.nanoTime();
        cluster.kill9(2);
        Poll.until(Duration.ofSeconds(20), "vol1 degraded without node2", () -> "degraded".equals(health("vol1")));
        JsonNode degraded = api.get("/api/v1/volumes/vol1").body();
        assertThat(degraded.path("healthReason").asText()).as("node2 is missing, none of its copies stale")
                .contains("on a node that is down").doesNotContain("fewer than");
        // The first change: a copy of node2's rebuilt (health moves on) once the grace period ends.
        Poll.until(Duration.ofSeconds(90), "node2's copies given up",
                () -> !healthReason("vol1").contains("on a node that is down"));
        double givenUp = (System.nanoTime() - killedAt) / 1e9;
        Poll.until(Duration.ofSeconds(90), "vol1 rebuilt onto node3", () -> "healthy".equals(health("vol1")));
        double healed = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("vol1: node2's copies given up %.1f s and rebuilt %.1f s after kill -9 of node2 (grace"
                + " period 5 s)%n", givenUp, healed);
        // The grace period runs from the last heartbeat heard from node2, which came up to one
        // heartbeat interval (1 s) before the kill.
        assertThat(givenUp).as("nothing is rebuilt within the grace period").isGreaterThanOrEqualTo(5.0 - 1.0);
        assertThat(chunkFiles(3)).isNotEmpty();

        Path back = dir.resolve("b.rebuilt");
        run("nbdcopy", nbd(3, "vol1"), back.toString());
        assertSamePrefix(dir.resolve("b.bin"), back);
    }

    @Test
    @Order(5)
    void flippedBytesOnOneReplicaAreAnsweredFromAnotherAndRepaired() throws Exception {
        // Rebalancing may move a copy away between choosing it and reading it: try a few copies.
        boolean repaired = false;
        for (Path data : chunkFiles(1)) {
            byte[] good = readAt(data, 8192, 16);
            byte[] bad = good.clone();
            bad[3] ^= (byte) 0xff;
            writeAt(data, 8192, bad);

            Path back = dir.resolve("b.scrubbed");
            Files.deleteIfExists(back);
            run("nbdcopy", nbd(1, "vol1"), back.toString());
            assertSamePrefix(dir.resolve("b.bin"), back);
            if (Files.exists(data) && java.util.Arrays.equals(readAt(data, 8192, 16), good)) {
                repaired = true;
                break;
            }
        }
        assertThat(repaired).as("a flipped copy was rewritten from a good replica").isTrue();
        assertThat(cluster.node(1).outputTail(400)).contains("checksum");
    }

    @Test
    @Order(6)
    void aQemuGuestBootsWithAVolumeAsItsDiskAndReadsBackWhatItWrote() throws Exception {
        // node2 is down since the previous test: node1 and node3 hold the replicas now.
        createVolume("vol2");
        // 256 KiB across the boundary between chunks 1 and 2.
        long offset = 8L * MIB - 128 * 1024;
        int count = 256 * 1024;
        GuestOptions options = GuestOptions.defaults().withName("vol2-guest")
                .withDrive(GuestOptions.nbdDrive("127.0.0.1", cluster.node(1).nbdPort(), "vol2"));
        try (TestGuest guest = TestGuest.boot(options, dir)) {
            System.out.printf("guest booted from vol2 in %.1f s%n", guest.bootTime().toMillis() / 1e3);
            assertThat(guest.blockSize("vda")).isEqualTo(64L * MIB);
            String written = guest.writePattern(offset, count, "keel", GUEST_IO);
            assertThat(written).isEqualTo(GuestPattern.sha256(GuestPattern.bytes("keel", count)));
            assertThat(guest.readChecksum(offset, count, GUEST_IO)).isEqualTo(written);
            assertThat(writerOf("vol2")).as("the guest's node holds the write lease").isEqualTo("node1");

            Path other = randomFile("d.bin", MIB, 4);
            String refused = runFailing("nbdcopy", other.toString(), nbd(3, "vol2"));
            // libnbd reports the refusal's kind; the reason is in the serving node's log.
            assertThat(refused).contains("server policy prevents");
            assertThat(cluster.node(3).outputTail(200)).contains("is open for writing by");
            guest.sync(GUEST_IO);
        }
        Poll.until(Duration.ofSeconds(15), "vol2's write lease released", () -> writerOf("vol2") == null);
        Path back = dir.resolve("vol2.back");
        run("nbdcopy", nbd(3, "vol2"), back.toString());
        assertThat(readAt(back, offset, count)).isEqualTo(GuestPattern.bytes("keel", count));
    }

    @Test
    @Order(7)
    void aWriterWhoseLeaseWasTakenIsFencedByTheChunkServices() throws Exception {
        createVolume("vol3");
        GuestOptions options = GuestOptions.defaults().withName("vol3-guest")
                .withDrive(GuestOptions.nbdDrive("127.0.0.1", cluster.node(1).nbdPort(), "vol3"));
        try (TestGuest guest = TestGuest.boot(options, dir)) {
            guest.writePattern(MIB, 64 * 1024, "before", GUEST_IO);
            ApiSession.Reply broken = api.post("/api/v1/volumes/vol3/break-lease", Map.of());
            assertThat(broken.status()).as(broken.message()).isEqualTo(200);

            // A new writer on node3 gets a newer epoch and raises the fence on every chunk.
            Path fresh = randomFile("e.bin", 8 * MIB, 5);
            run("nbdcopy", fresh.toString(), nbd(3, "vol3"));

            // The old writer still believes it holds the volume; its write reaches the chunk
            // services with the old epoch and is refused, so the guest sees an I/O error.
            assertThatThrownBy(() -> guest.writePattern(MIB, 64 * 1024, "after", GUEST_IO))
                    .isInstanceOf(GuestException.class);
            guest.kill();

            Poll.until(Duration.ofSeconds(15), "vol3's write lease released", () -> writerOf("vol3") == null);
            Path back = dir.resolve("vol3.back");
            run("nbdcopy", nbd(3, "vol3"), back.toString());
            assertThat(readAt(back, 0, 8 * MIB)).as("the new writer's data, untouched by the fenced one")
                    .isEqualTo(Files.readAllBytes(fresh));
        }
        assertThat(cluster.node(1).outputTail(400)).containsPattern("(?i)fenced|epoch");
    }

    private static void createVolume(String name) throws IOException {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", name, "size", "64M", "policy", "two", "chunkSize", "4M"));
        assertThat(created.status()).as(created.message()).isEqualTo(201);
    }

    private static String runFailing(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finishes").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " fails").isNotZero();
        return Files.readString(out);
    }

    /** A counter or gauge from a node's Prometheus endpoint, summed over its label sets. */
    private static double metric(int node, String name) {
        try {
            ApiSession session = cluster.api(node);
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(session.baseUrl() + "/metrics"))
                    .header("Authorization", "Bearer " + session.token()).build();
            String text = java.net.http.HttpClient.newHttpClient()
                    .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static List<Path> chunkFiles(int node) {
        try (var files = Files.walk(cluster.node(node).dir().resolve("disks"))) {
            return files.filter(p -> p.toString().contains("/chunks/") && p.toString().endsWith(".data")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readAt(Path file, long offset, int length) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length);
            ch.read(b, offset);
            return b.array();
        }
    }

    private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes), offset);
        }
    }

    private static String health(String volume) {
        return vols.health(volume);
    }

    private static String healthReason(String volume) {
        try {
            return api.get("/api/v1/volumes/" + volume).body().path("healthReason").asText();
        } catch (IOException e) {
            return "on a node that is down (no answer)";
        }
    }

    private static String writerOf(String volume) {
        return vols.writerOf(volume);
    }

    private static String nbd(int node, String export) {
        return vols.nbd(node, export);
    }

    private static Path randomFile(String name, int size, long seed) throws IOException {
        return vols.randomFile(name, size, seed);
    }

    private static void assertSamePrefix(Path expected, Path actual) throws IOException {
        NbdVolumes.assertSamePrefix(expected, actual);
    }

    private static void run(String... cmd) throws Exception {
        vols.run(cmd);
    }
}
