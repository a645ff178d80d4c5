package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.node.embedded.ApiSession;
import io.keel.testkit.LocalCluster.CliResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
 * Images through the real CLI against three real nodes (issue 5 items 2 and 11): a qcow2 made by
 * qemu-img is uploaded, becomes ACTIVE and reads back through NBD with the same bytes; a corrupt
 * file and a format mismatch are refused with qemu-img's reason and leave no image or volume; a
 * name clash is refused before any byte is sent; deletion is refused while a disk is cloned from
 * the image and then removes its volume.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s");
        api = cluster.api(1);
        ApiSession.Reply p = api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host"));
        assertThat(p.status()).as(p.message()).isEqualTo(201);
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("ImageIT");
        }
    }

    private static CliResult keel(String... args) {
        return cluster.cli(dir, args);
    }

    private static CliResult ok(String... args) {
        CliResult r = keel(args);
        assertThat(r.code()).as("keel %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static JsonNode json(CliResult r) throws IOException {
        return JSON.readTree(r.out());
    }

    /** A 64 MiB qcow2 with two written ranges, as qemu-img and qemu-io make it. */
    private static Path qcow2(String name) throws Exception {
        Path file = dir.resolve(name);
        run("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "64M");
        run("qemu-io", "-c", "write -P 0x5a 0 1M", "-c", "write -P 0xa5 40M 3M", file.toString());
        return file;
    }

    @Test
    @Order(1)
    void aCorruptFileOrAWrongFormatIsRefusedWithTheReasonAndLeavesNothing() throws Exception {
        Path cut = qcow2("cut.qcow2");
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            ch.truncate(300_000);
        }
        CliResult corrupt = keel("image", "upload", cut.toString(), "--name", "broken");
        assertThat(corrupt.code()).isEqualTo(1);
        assertThat(corrupt.err()).contains("the qcow2 file is corrupt: qemu-img check found", "HTTP 400");

        Path raw = dir.resolve("data.raw");
        Files.write(raw, new byte[2 * MIB]);
        CliResult mismatch = keel("image", "upload", raw.toString(), "--name", "broken", "--format", "qcow2");
        assertThat(mismatch.code()).isEqualTo(1);
        assertThat(mismatch.err()).contains("the file was declared qcow2 but is not a qcow2 image (qemu-img sees raw"
                + " data)");

        assertThat(json(ok("image", "list", "-o", "json"))).isEmpty();
        assertThat(volumeNames()).isEmpty();
    }

    @Test
    @Order(2)
    void aQcow2BecomesActiveAndItsVolumeHoldsTheSameBytes() throws Exception {
        Path original = qcow2("debian.qcow2");
        CliResult r = ok("image", "upload", original.toString(), "--name", "debian", "--os-type", "linux", "--shared");
        assertThat(r.out()).isEqualTo("Image debian is ACTIVE: qcow2, 64.0 MiB disk, stored in volume image-debian.\n");
        assertThat(r.err()).contains("uploaded debian.qcow2: ");

        JsonNode image = json(ok("image", "show", "debian", "-o", "json"));
        assertThat(image.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(image.path("format").asText()).isEqualTo("qcow2");
        assertThat(image.path("osType").asText()).isEqualTo("linux");
        assertThat(image.path("shared").asBoolean()).isTrue();
        assertThat(image.path("sizeBytes").asLong()).isEqualTo(Files.size(original));
        assertThat(image.path("virtualSizeBytes").asLong()).isEqualTo(64L * MIB);
        assertThat(image.path("volume").asText()).isEqualTo("image-debian");
        assertThat(image.path("snapshot").asText()).isEqualTo("golden");
        assertThat(image.path("node").asText()).isEqualTo("node1");

        // The golden snapshot, read back over NBD through another node, is the qcow2's disk.
        Path back = dir.resolve("debian.back");
        run("nbdcopy", "nbd://127.0.0.1:" + cluster.node(2).nbdPort() + "/image-debian@golden", back.toString());
        run("qemu-img", "compare", "-f", "qcow2", "-F", "raw", original.toString(), back.toString());
        // Thin: only the written ranges took chunks (1M and 3M in a 64M volume of 64M chunks: one chunk).
        assertThat(api.get("/api/v1/volumes/image-debian").body().path("allocatedBytes").asLong())
                .isEqualTo(64L * MIB);
    }

    @Test
    @Order(3)
    void anIsoIsRecognisedAndStoredByteForByte() throws Exception {
        byte[] iso = new byte[2 * MIB];
        new Random(5).nextBytes(iso);
        System.arraycopy("CD001".getBytes(), 0, iso, 32769, 5);
        Path file = dir.resolve("tools.iso");
        Files.write(file, iso);
        ok("image", "upload", file.toString(), "--name", "tools");
        JsonNode image = json(ok("image", "show", "tools", "-o", "json"));
        assertThat(image.path("format").asText()).isEqualTo("iso");
        assertThat(image.path("virtualSizeBytes").asLong()).isEqualTo(iso.length);
        Path back = dir.resolve("tools.back");
        run("nbdcopy", "nbd://127.0.0.1:" + cluster.node(3).nbdPort() + "/image-tools@golden", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(iso);
    }

    @Test
    @Order(4)
    void aNameClashIsRefusedBeforeAnyByteIsSent() throws Exception {
        CliResult r = keel("image", "upload", qcow2("other.qcow2").toString(), "--name", "debian");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("an image named \"debian\" already exists", "HTTP 409");
        assertThat(json(ok("image", "show", "debian", "-o", "json")).path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    @Order(5)
    void deletionWaitsForClonesThenRemovesTheVolume() throws Exception {
        ApiSession.Reply clone = api.post("/api/v1/volumes/image-debian/snapshots/golden/clone",
                Map.of("name", "vm1-disk"));
        assertThat(clone.status()).as(clone.message()).isEqualTo(201);
        CliResult refused = keel("image", "delete", "debian", "--yes");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("image \"debian\" is in use: volumes \"vm1-disk\" are cloned from it");

        ok("volume", "delete", "vm1-disk", "--yes");
        ok("image", "delete", "debian", "--yes");
        ok("image", "delete", "tools", "--yes");
        assertThat(json(ok("image", "list", "-o", "json"))).isEmpty();
        assertThat(volumeNames()).isEmpty();
    }

    private static List<String> volumeNames() throws IOException {
        List<String> names = new ArrayList<>();
        api.get("/api/v1/volumes").body().forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    private static void run(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out: " + Files.readString(out));
        }
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + Files.readString(out)).isZero();
    }
}
