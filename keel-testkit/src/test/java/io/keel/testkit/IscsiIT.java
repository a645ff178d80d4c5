package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestImage;
import io.keel.testkit.guest.GuestOptions;
import io.keel.testkit.guest.TestGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A target group on node1 and node2 of a real 3-node cluster serves three LUNs (2-replica volumes)
 * to real initiators: libiscsi's tools discover every path at any portal and inquire and read
 * capacities on the active one, QEMU boots the test guest from one LUN (its `iscsi://` driver) and
 * checks data on another, iscsi-test-cu passes on a third, CHAP keeps strangers out, and when the
 * active node of a LUN is killed the other path takes over once the old write lease has expired,
 * with every byte written before the kill still there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class IscsiIT {
    private static final int MIB = 1 << 20;
    static final String SUITES = "SCSI.Inquiry,SCSI.Read*,SCSI.Write*,SCSI.Unmap,SCSI.CompareAndWrite,"
            + "SCSI.Prin*,SCSI.Prout*,SCSI.MultipathIO";

    @TempDir
    static Path dir;

    static LocalCluster cluster;
    static ApiSession api;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "3s", "10m");
        api = cluster.api(3);
        created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
        created(api.post("/api/v1/volumes", Map.of("name", "boot", "size", "64M", "policy", "two", "chunkSize", "4M")));
        created(api.post("/api/v1/volumes", Map.of("name", "data", "size", "64M", "policy", "two", "chunkSize", "4M")));
        created(api.post("/api/v1/volumes", Map.of("name", "scratch", "size", "64M", "policy", "two", "chunkSize", "4M")));
        // The guest's bootable disk goes in over NBD, the way images reach volumes.
        run("nbdcopy", GuestImage.locate().bootDisk().toString(),
                "nbd://127.0.0.1:" + cluster.node(3).nbdPort() + "/boot");
        Poll.until(Duration.ofSeconds(15), "the copy's write lease released",
                () -> get("/api/v1/volumes/boot").path("leaseHolder").isNull());
        created(api.post("/api/v1/iscsi/groups", Map.of("name", "san",
                "nodes", List.of(Map.of("node", "node1"), Map.of("node", "node2")))));
        created(api.post("/api/v1/iscsi/groups/san/luns", Map.of("volume", "boot")));
        created(api.post("/api/v1/iscsi/groups/san/luns", Map.of("volume", "data")));
        created(api.post("/api/v1/iscsi/groups/san/luns", Map.of("volume", "scratch")));
        Poll.until(Duration.ofSeconds(60), "every LUN active on a node of the group",
                () -> activeNode(0) != null && activeNode(1) != null && activeNode(2) != null);
        // Each node opens its portal when it next reconciles with the metadata.
        for (JsonNode t : get("/api/v1/iscsi/groups/san").path("targets")) {
            Poll.until(Duration.ofSeconds(30), "the portal of " + t.path("nodeName").asText() + " answering",
                    () -> !fails("iscsi-ls", "iscsi://" + t.path("portal").asText()));
        }
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close("IscsiIT");
        }
    }

    @Test
    @Order(1)
    void everyPathIsDiscoveredAndOnlyTheActiveOneServesIo() throws Exception {
        JsonNode group = get("/api/v1/iscsi/groups/san");
        assertThat(group.path("targets")).hasSize(2);
        for (JsonNode t : group.path("targets")) {
            assertThat(t.path("state").asText()).isEqualTo("online");
            String listing = run("iscsi-ls", "iscsi://" + t.path("portal").asText());
            // Discovery at either portal names both targets, so a multipath initiator finds every path.
            for (JsonNode other : group.path("targets")) {
                assertThat(listing).contains("Target:" + other.path("iqn").asText() + " Portal:"
                        + other.path("portal").asText());
            }
        }
        JsonNode active = activePath(1);
        String url = iscsiUrl(active, 1);
        assertThat(run("iscsi-inq", url)).contains("Vendor:KEEL").contains("TPGS:1");
        assertThat(run("iscsi-readcapacity16", url)).contains("Total size:" + 64 * MIB);
        // libiscsi tests a path with TEST UNIT READY at login, which a standby path answers NOT READY
        // (ALUA standby, SPC-4 5.15.2.4.4): the initiator moves on to the active path.
        assertThat(fails("iscsi-inq", iscsiUrl(otherPath(1, active.path("nodeName").asText()), 1))).isTrue();
        List<String> states = new ArrayList<>();
        lunView(1).path("paths").forEach(p -> states.add(p.path("alua").asText()));
        assertThat(states).containsExactlyInAnyOrder("active/optimized", "standby");

        // The administrator's view and refusals, through the CLI.
        LocalCluster.CliResult show = cluster.cli(dir, "iscsi", "group", "show", "san");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains(active.path("iqn").asText()).contains("active/optimized").contains("standby");
        LocalCluster.CliResult again = cluster.cli(dir, "iscsi", "lun", "add", "san", "boot");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already LUN 0 of target group \"san\"");
        LocalCluster.CliResult delete = cluster.cli(dir, "volume", "delete", "data", "--yes");
        assertThat(delete.code()).isEqualTo(1);
        assertThat(delete.err()).contains("is LUN 1 of target group \"san\"");
    }

    @Test
    @Order(2)
    void qemuBootsTheGuestFromALunAndReadsBackWhatItWrote() throws Exception {
        GuestOptions options = GuestOptions.defaults()
                .withBootDrive(iscsiDrive(activePath(0), 0))
                .withDrive(iscsiDrive(activePath(1), 1));
        String sum;
        try (TestGuest guest = TestGuest.boot(GuestImage.locate(), options, dir)) {
            assertThat(guest.blockSize("vdb")).isEqualTo(64L * MIB);
            sum = guest.writePattern("vdb", 8 * MIB, 16 * MIB, "iscsi1", Duration.ofSeconds(60));
            assertThat(guest.readChecksum("vdb", 8 * MIB, 16 * MIB, Duration.ofSeconds(60))).isEqualTo(sum);
        }
        // And from outside the guest, through the LUN's active path, byte for byte.
        Path back = dir.resolve("data.back");
        // qemu-img dd counts the skipped blocks in count, unlike dd(1).
        run("qemu-img", "dd", "-f", "raw", "-O", "raw", "bs=1M", "skip=8", "count=24",
                "if=" + iscsiUrl(activePath(1), 1), "of=" + back);
        assertThat(sha256(Files.readAllBytes(back))).isEqualTo(sum);
        // Counters live on the serving nodes; node3, which serves no target, asks them.
        String active = activePath(1).path("nodeName").asText();
        JsonNode target = null;
        for (JsonNode t : get("/api/v1/iscsi/groups/san").path("targets")) {
            if (t.path("nodeName").asText().equals(active)) {
                target = t;
            }
        }
        assertThat(target).isNotNull();
        assertThat(target.path("writeBytes").asLong()).isGreaterThanOrEqualTo(16L * MIB);
        assertThat(target.path("readOps").asLong()).isPositive();
    }

    /**
     * libiscsi's conformance suites on a replicated volume through its active path (two sessions, as
     * its MultipathIO tests want); the counts go to docs/iscsi-test-cu.md.
     */
    @Test
    @Order(3)
    void iscsiTestCuPassesOnAVolumeThroughItsActivePath() throws Exception {
        String url = iscsiUrl(activePath(2), 2);
        // The suites issue 7 names (libiscsi has no ALUA suite; the ALUA states are checked above).
        Result r = exec(300, "iscsi-test-cu", "--dataloss", "--verbose", "--test=" + SUITES, url, url);
        var m = java.util.regex.Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(r.out);
        assertThat(m.find()).as("no CUnit summary:\n" + r.out).isTrue();
        List<String> failed = r.out.lines().filter(l -> l.stripTrailing().endsWith("FAILED")).toList();
        System.out.printf("iscsi-test-cu %s on a 2-replica volume: %s run, %s passed, %s failed%n", SUITES,
                m.group(2), m.group(3), m.group(4));
        assertThat(Integer.parseInt(m.group(4))).as("failed: " + failed + "\n" + r.out).isZero();
        assertThat(Integer.parseInt(m.group(2))).isGreaterThanOrEqualTo(100);
    }

    @Test
    @Order(4)
    void chapKeepsOutInitiatorsWithoutTheSecret() throws Exception {
        assertThat(api.put("/api/v1/iscsi/groups/san/access", Map.of("initiators", List.of(),
                "chapUser", "host1", "chapSecret", "sesame-open-12")).status()).isEqualTo(200);
        JsonNode t = activePath(0);
        String portal = t.path("portal").asText();
        String lun0 = "/" + t.path("iqn").asText() + "/0";
        // Each node applies a new setting within a heartbeat or so.
        Poll.until(Duration.ofSeconds(15), "CHAP required",
                () -> fails("iscsi-inq", "iscsi://" + portal + lun0));
        assertThat(fails("iscsi-inq", "iscsi://host1%wrong-secret-1@" + portal + lun0)).isTrue();
        assertThat(run("iscsi-inq", "iscsi://host1%sesame-open-12@" + portal + lun0)).contains("KEEL");
        assertThat(get("/api/v1/iscsi/groups/san").toString()).doesNotContain("sesame");
        assertThat(api.put("/api/v1/iscsi/groups/san/access", Map.of("initiators", List.of())).status())
                .isEqualTo(200);
        Poll.until(Duration.ofSeconds(15), "CHAP no longer required",
                () -> !fails("iscsi-inq", "iscsi://" + portal + lun0));
    }

    @Test
    @Order(5)
    void whenTheActiveNodeIsKilledTheOtherPathTakesOverWithTheData() throws Exception {
        JsonNode before = activePath(1);
        String victim = before.path("nodeName").asText();
        JsonNode standby = otherPath(1, victim);
        run("qemu-io", "-f", "raw", "-c", "write -P 0xa5 0 8M", iscsiUrl(before, 1));
        // The standby path refuses I/O until it becomes the active one.
        assertThat(fails("qemu-io", "-f", "raw", "-c", "write -P 0x5a 8M 8M", iscsiUrl(standby, 1))).isTrue();

        long t0 = System.nanoTime();
        cluster.kill9(Integer.parseInt(victim.substring("node".length())));
        // An initiator retries on the other path until it is the active one.
        Poll.until(Duration.ofSeconds(90), "a write through the other path succeeds",
                () -> !fails("qemu-io", "-f", "raw", "-c", "write -P 0x5a 8M 8M", iscsiUrl(standby, 1)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("iSCSI path failover: writes through the other path %.1f s after the kill%n", seconds);
        assertThat(run("qemu-io", "-f", "raw", "-c", "read -P 0xa5 0 8M", "-c", "read -P 0x5a 8M 8M",
                iscsiUrl(standby, 1))).doesNotContain("Pattern verification failed");
        // The view follows once the new node's report reaches the manager.
        Poll.until(Duration.ofSeconds(30), "the API showing the new active node", () -> standby.path("nodeName")
                .asText().equals(lunView(1).path("activeNodeName").asText()));
    }

    private static String iscsiDrive(JsonNode path, int lun) {
        return "file=" + iscsiUrl(path, lun) + ",format=raw,if=virtio,cache=none";
    }

    private static String iscsiUrl(JsonNode path, int lun) {
        return "iscsi://" + path.path("portal").asText() + "/" + path.path("iqn").asText() + "/" + lun;
    }

    private static JsonNode get(String path) {
        try {
            ApiSession.Reply r = api.get(path);
            assertThat(r.status()).as(path + ": " + r.message()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode lunView(int lun) {
        for (JsonNode l : get("/api/v1/iscsi/groups/san/luns")) {
            if (l.path("lun").asInt() == lun) {
                return l;
            }
        }
        throw new AssertionError("no LUN " + lun);
    }

    private static String activeNode(int lun) {
        JsonNode l = lunView(lun);
        return l.path("activeNode").isTextual() ? l.path("activeNode").asText() : null;
    }

    private static JsonNode activePath(int lun) {
        for (JsonNode p : lunView(lun).path("paths")) {
            if ("active/optimized".equals(p.path("alua").asText())) {
                return p;
            }
        }
        throw new AssertionError("LUN " + lun + " has no active/optimized path: " + lunView(lun));
    }

    private static JsonNode otherPath(int lun, String nodeName) {
        for (JsonNode p : lunView(lun).path("paths")) {
            if (!nodeName.equals(p.path("nodeName").asText())) {
                return p;
            }
        }
        throw new AssertionError("LUN " + lun + " has no path off " + nodeName);
    }

    private static void created(ApiSession.Reply r) {
        assertThat(r.status()).as(r.message()).isEqualTo(201);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static boolean fails(String... cmd) {
        try {
            Result r = exec(cmd);
            // qemu-io reports failed requests on its output but may still exit 0.
            return r.code != 0 || r.out.contains("failed") || r.out.contains("error");
        } catch (Exception e) {
            return true;
        }
    }

    private static String run(String... cmd) throws Exception {
        Result r = exec(cmd);
        assertThat(r.code).as(String.join(" ", cmd) + ": " + r.out).isZero();
        return r.out;
    }

    private record Result(int code, String out) {}

    private static Result exec(String... cmd) throws Exception {
        return exec(90, cmd);
    }

    private static Result exec(int timeoutSeconds, String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
