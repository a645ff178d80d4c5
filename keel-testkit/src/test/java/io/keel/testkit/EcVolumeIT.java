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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 with real node processes and libnbd's nbdcopy, on 4 nodes (9 storage disks): a 3+2
 * erasure-coded volume (failure domain disk, fragments spread over hosts first) is written
 * through one node and read back through another, its chunks 5 fragment files of a third of a
 * chunk each on 5 disks. It survives kill -9 of the node holding most fragments: every byte reads
 * back decoded, and once the grace period is over the lost fragments are rebuilt from the
 * survivors on the remaining disks, after which another node can go.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EcVolumeIT {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;
    static NbdVolumes vols;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 4, "3s", "5s");
        api = cluster.api(1);
        vols = new NbdVolumes(cluster, api, dir);
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", "ec32", "ec", "3+2", "failureDomain", "disk"));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("EcVolumeIT");
        }
    }

    @Test
    @Order(1)
    void anEcVolumeWrittenThroughOneNodeReadsBackThroughAnotherFromFiveFragments() throws Exception {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", "ecv", "size", "64M", "policy", "ec32", "chunkSize", "4M"));
        assertThat(created.status()).as(created.message()).isEqualTo(201);
        assertThat(created.body().path("redundancy").asText()).isEqualTo("EC 3+2");

        // 20 MiB and a bit: whole chunks, and a last chunk with partial stripe rows.
        Path data = vols.randomFile("a.bin", 20 * MIB + 12345, 1);
        long t0 = System.nanoTime();
        vols.run("nbdcopy", data.toString(), vols.nbd(1, "ecv"));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("nbdcopy wrote 20 MiB to a 3+2 volume in %.2f s (%.1f MiB/s)%n", secs, 20 / secs);
        Poll.until(Duration.ofSeconds(15), "ecv's write lease released", () -> vols.writerOf("ecv") == null);
        Path back = dir.resolve("a.back");
        vols.run("nbdcopy", vols.nbd(2, "ecv"), back.toString());
        NbdVolumes.assertSamePrefix(data, back);

        JsonNode v = api.get("/api/v1/volumes/ecv").body();
        assertThat(v.path("health").asText()).isEqualTo("healthy");
        assertThat(v.path("chunks").asLong()).isEqualTo(6);
        // Five fragments of a third of a chunk each: 5/3 of the data (rounded down per chunk).
        long fiveThirds = v.path("allocatedBytes").asLong() * 5 / 3;
        assertThat(v.path("physicalBytes").asLong()).isBetween(fiveThirds - 6, fiveThirds);
        List<Path> fragments = fragmentFiles(v.path("id").asText());
        assertThat(fragments).hasSize(6 * 5);
        // A fragment file holds a third of its chunk, not a whole copy.
        assertThat(fragments).allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(4L * MIB / 3 + 4096));
    }

    @Test
    @Order(2)
    void aWriterKilledMidWriteLeavesNoTornStripeBehind() throws Exception {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", "ect", "size", "64M", "policy", "ec32", "chunkSize", "4M"));
        assertThat(created.status()).as(created.message()).isEqualTo(201);
        int size = 48 * MIB;
        Path data = vols.randomFile("t.bin", size, 3);
        // The first chunk is written and acknowledged before the writer that dies starts: it must
        // read back whole, and it keeps the check below from passing on a volume left all zeros
        // (a kill can come before any of the second writer's requests completes).
        int head = 4 * MIB;
        Path first = dir.resolve("t.head");
        Files.write(first, java.util.Arrays.copyOf(Files.readAllBytes(data), head));
        vols.run("nbdcopy", first.toString(), vols.nbd(2, "ect"));
        Poll.until(Duration.ofSeconds(15), "ect's write lease released", () -> vols.writerOf("ect") == null);
        Process writer = new ProcessBuilder("nbdcopy", "--request-size=262144", data.toString(), vols.nbd(2, "ect"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("nbdcopy-t.out").toFile()).start();
        // Later chunks being written, dirty, when node2 (the writer, and a holder of fragments) dies.
        Poll.until(Duration.ofSeconds(60), "node2 writing ect", () -> !writer.isAlive() || chunks("ect") >= 4);
        cluster.kill9(2);
        writer.waitFor(60, TimeUnit.SECONDS);
        // The dead writer's lease would hold the volume for its 30 s; the administrator's way out.
        ApiSession.Reply broken = api.post("/api/v1/volumes/ect/break-lease", Map.of());
        assertThat(broken.status()).as(broken.message()).isEqualTo(200);
        // Until node2 is back, chunks it holds a data fragment of cannot be resynced and refuse
        // reads that need parity (EIO); once its chunk services answer again, they read whole.
        cluster.restart(2);
        Path back = dir.resolve("t.back");
        Poll.until(Duration.ofSeconds(60), "ect readable whole through node1 with node2 back",
                () -> vols.succeeds("nbdcopy", vols.nbd(1, "ect"), back.toString()));
        // Every 4 KiB unit is what was written or what was there before (zeros), never a mix or
        // a decoding of torn rows.
        byte[] wrote = Files.readAllBytes(data);
        byte[] read = Files.readAllBytes(back);
        int written = 0;
        for (int at = 0; at < size; at += 4096) {
            byte[] unit = java.util.Arrays.copyOfRange(read, at, at + 4096);
            boolean isNew = java.util.Arrays.equals(unit, java.util.Arrays.copyOfRange(wrote, at, at + 4096));
            assertThat(isNew || (at >= head && java.util.Arrays.equals(unit, new byte[4096])))
                    .as("unit at %d", at).isTrue();
            written += isNew ? 1 : 0;
        }
        System.out.printf("ect: %d of %d units written before kill -9 of its writer (%d acknowledged before it "
                + "started), none torn%n", written, size / 4096, head / 4096);
        Poll.until(Duration.ofSeconds(30), "ect's write lease released", () -> vols.writerOf("ect") == null);
    }

    @Test
    @Order(3)
    void afterKill9OfANodeEveryByteIsDecodedAndTheLostFragmentsAreRebuilt() throws Exception {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", "ech", "size", "32M", "policy", "ec32", "chunkSize", "4M"));
        assertThat(created.status()).as(created.message()).isEqualTo(201);
        Path data = vols.randomFile("b.bin", 12 * MIB + 4321, 2);
        vols.run("nbdcopy", data.toString(), vols.nbd(1, "ech"));
        Poll.until(Duration.ofSeconds(15), "ech's write lease released", () -> vols.writerOf("ech") == null);
        String id = api.get("/api/v1/volumes/ech").body().path("id").asText();

        int victim = nodeWithMostFragments(id);
        long lost = fragmentFiles(id).stream().filter(f -> f.startsWith(cluster.node(victim).dir())).count();
        assertThat(lost).as("node%d holds fragments", victim).isPositive();
        long killedAt = System.nanoTime();
        cluster.kill9(victim);
        // Reads fan out to every node: in the seconds after a kill, while the survivors' views of
        // who is alive settle, a read can fail (EIO, never wrong data); the test retries it as
        // a client would.
        Path back = dir.resolve("b.back");
        Poll.until(Duration.ofSeconds(60), "ech read whole through node1 after kill -9 of node" + victim,
                () -> vols.succeeds("nbdcopy", vols.nbd(1, "ech"), back.toString()));
        NbdVolumes.assertSamePrefix(data, back);
        System.out.printf("ech read back whole through node1 %.1f s after kill -9 of node%d (%d fragments lost)%n",
                (System.nanoTime() - killedAt) / 1e9, victim, lost);
        Poll.until(Duration.ofSeconds(20), "ech's write lease released", () -> vols.writerOf("ech") == null);

        Poll.until(Duration.ofSeconds(120), "ech healthy again without node" + victim,
                () -> "healthy".equals(vols.health("ech")));
        System.out.printf("ech healthy again %.1f s after kill -9 of node%d (grace period 5 s)%n",
                (System.nanoTime() - killedAt) / 1e9, victim);
        JsonNode healed = api.get("/api/v1/volumes/ech").body();
        long fiveThirds = healed.path("allocatedBytes").asLong() * 5 / 3;
        assertThat(healed.path("physicalBytes").asLong()).isBetween(fiveThirds - 6, fiveThirds);

        // Another node gone now too: what was rebuilt decodes the same bytes. Not two of nodes
        // 1-3, the metadata members, so the metadata keeps its majority.
        int second = victim == 4 ? 2 : 4;
        cluster.kill9(second);
        Path again = dir.resolve("b.again");
        Poll.until(Duration.ofSeconds(60), "ech read whole through node1 after kill -9 of node" + second,
                () -> vols.succeeds("nbdcopy", vols.nbd(1, "ech"), again.toString()));
        NbdVolumes.assertSamePrefix(data, again);
    }

    private static long chunks(String volume) {
        try {
            return api.get("/api/v1/volumes/" + volume).body().path("chunks").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Of nodes 2-4, the one holding most fragments of volume {@code id}. */
    private static int nodeWithMostFragments(String id) {
        List<Path> all = fragmentFiles(id);
        int best = 2;
        long most = -1;
        for (int n = 2; n <= 4; n++) {
            Path home = cluster.node(n).dir();
            long count = all.stream().filter(f -> f.startsWith(home)).count();
            if (count > most) {
                most = count;
                best = n;
            }
        }
        return best;
    }

    /** The fragment chunk files of volume {@code id} on every node ("<id>-<gen>-f<k>_<index>.data"). */
    private static List<Path> fragmentFiles(String id) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().contains("/chunks/")
                    && p.getFileName().toString().matches(id + "-\\d+-f\\d+_.*\\.data")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
