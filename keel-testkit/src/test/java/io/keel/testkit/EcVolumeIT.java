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
 * Issue 9 with real node processes and libnbd's nbdcopy, on 4 nodes: a 3+2 erasure-coded volume
 * (failure domain disk) is written through one node and read back through another, its chunks
 * 5 fragment files of a third of a chunk each on 5 disks. A 2+1 volume (failure domain host, so
 * a node holds at most one fragment of a chunk) survives kill -9 of a node holding fragments:
 * every byte reads back decoded, and once the grace period is over the lost fragments are rebuilt
 * from the survivors on the remaining node, after which another node can go.
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
        ApiSession.Reply h = api.post("/api/v1/policies", Map.of("name", "ec21", "ec", "2+1", "failureDomain", "host"));
        assertThat(h.status()).as(h.message()).isEqualTo(201);
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
    void afterKill9OfANodeEveryByteIsDecodedAndTheLostFragmentsAreRebuilt() throws Exception {
        ApiSession.Reply created = api.post("/api/v1/volumes",
                Map.of("name", "ech", "size", "32M", "policy", "ec21", "chunkSize", "4M"));
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
        Path back = dir.resolve("b.back");
        vols.run("nbdcopy", vols.nbd(1, "ech"), back.toString());
        NbdVolumes.assertSamePrefix(data, back);
        System.out.printf("ech read back whole through node1 %.1f s after kill -9 of node%d (%d fragments lost)%n",
                (System.nanoTime() - killedAt) / 1e9, victim, lost);
        Poll.until(Duration.ofSeconds(20), "ech's write lease released", () -> vols.writerOf("ech") == null);

        Poll.until(Duration.ofSeconds(120), "ech healthy again without node" + victim,
                () -> "healthy".equals(vols.health("ech")));
        System.out.printf("ech healthy again %.1f s after kill -9 of node%d (grace period 5 s)%n",
                (System.nanoTime() - killedAt) / 1e9, victim);
        JsonNode healed = api.get("/api/v1/volumes/ech").body();
        assertThat(healed.path("physicalBytes").asLong()).isEqualTo(healed.path("allocatedBytes").asLong() * 3 / 2);

        // Another node gone now too: what was rebuilt decodes the same bytes. Not two of nodes
        // 1-3, the metadata members, so the metadata keeps its majority.
        int second = victim == 4 ? 2 : 4;
        cluster.kill9(second);
        Path again = dir.resolve("b.again");
        vols.run("nbdcopy", vols.nbd(1, "ech"), again.toString());
        NbdVolumes.assertSamePrefix(data, again);
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
