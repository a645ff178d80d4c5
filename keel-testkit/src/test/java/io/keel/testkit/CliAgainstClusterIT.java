package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.LocalCluster.CliResult;
import java.nio.file.Path;
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
 * The real CLI against a real cluster, logged in the way {@code ./keel up} leaves it: the
 * administrator's view of issue 3 (nodes, cluster, disks, tokens, locations, bad input).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgainstClusterIT {
    @TempDir
    static Path dir;

    static LocalCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "5s");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) cluster.close();
    }

    private CliResult keel(String... args) {
        return cluster.cli(dir, args);
    }

    @Test
    @Order(1)
    void nodeListShowsThreeHealthyNodes() {
        CliResult r = keel("node", "list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("node1", "node2", "node3");
        assertThat(r.out().lines().filter(l -> l.contains("Healthy")).count()).isEqualTo(3);
    }

    @Test
    void clusterShowNamesTheStorageClusterAndItsQuorum() {
        CliResult r = keel("cluster", "show");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("keel").contains("3 of 3 up");
    }

    @Test
    void disksOfAnEmbeddedNodeAreItsDirectoryDisksWithRoles() {
        CliResult r = keel("disk", "list", "--node", "node2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("d0", "d1", "d2").contains("metadata").contains("storage");
    }

    @Test
    void aSecondStorageClusterAndABadNameAreRefusedWithTheReason() {
        CliResult bad = keel("cluster", "create", "my cluster");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("letters").contains("invalid");
        CliResult again = keel("cluster", "create", "second");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void tokenShowsTheJoinCommand() {
        CliResult r = keel("node", "token");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("keel node --join " + cluster.node(1).apiAddress() + " --token keel1.");
    }

    @Test
    void locationsCanBeCreatedAndNodesMoved() {
        CliResult created = keel("-o", "json", "location", "create", "rack", "rack-b", "--parent", "default-row");
        assertThat(created.code()).as(created.err()).isZero();
        String id = created.out().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        CliResult moved = keel("location", "move", "node3", "--rack", id);
        assertThat(moved.code()).as(moved.err()).isZero();
        CliResult tree = keel("location", "list");
        assertThat(tree.out()).contains("rack-b");
        CliResult delete = keel("location", "delete", id);
        assertThat(delete.code()).isEqualTo(1);
        assertThat(delete.err()).contains("conflict");
    }

    @Test
    void storagePoliciesAreRefusedWithTheReasonWhenTheClusterCannotPlaceThem() {
        CliResult triple = keel("policy", "create", "triple", "--replicas", "3", "--failure-domain", "host");
        assertThat(triple.code()).as(triple.err()).isZero();
        assertThat(triple.out()).contains("3 replicas");

        CliResult racks = keel("policy", "create", "racks", "--replicas", "3", "--failure-domain", "rack");
        assertThat(racks.code()).isEqualTo(1);
        assertThat(racks.err()).contains("needs 3 racks with tier-0 storage disks").contains("the cluster has");

        CliResult cold = keel("policy", "create", "cold", "--tier", "2", "--replicas", "1");
        assertThat(cold.code()).isEqualTo(1);
        assertThat(cold.err()).contains("needs 1 host with tier-2 storage disks").contains("the cluster has none");

        assertThat(keel("policy", "create", "five", "--replicas", "5").code()).isEqualTo(2);
        CliResult wide = keel("policy", "create", "wide", "--ec", "5+2");
        assertThat(wide.code()).isEqualTo(1);
        assertThat(wide.err()).contains("needs 7 hosts with tier-0 storage disks (failure domain host, EC 5+2)")
                .contains("the cluster has 3");
        CliResult notEc = keel("policy", "create", "plain", "--ec", "2+0");
        assertThat(notEc.code()).isEqualTo(1);
        assertThat(notEc.err()).contains("2+0 is not erasure coding");
        assertThat(keel("policy", "create", "both", "--ec", "1+2", "--replicas", "3").code()).isEqualTo(2);
        CliResult small = keel("policy", "create", "small", "--ec", "1+2");
        assertThat(small.code()).as(small.err()).isZero();
        assertThat(small.out()).contains("EC 1+2");
        CliResult volume = keel("volume", "create", "ecvol", "--size", "1G", "--policy", "small");
        assertThat(volume.code()).as(volume.err()).isZero();
        assertThat(keel("volume", "show", "ecvol").out()).contains("EC 1+2");
        CliResult inUse = keel("policy", "delete", "small");
        assertThat(inUse.code()).isEqualTo(1);
        assertThat(keel("volume", "delete", "ecvol", "--yes").code()).isZero();
        CliResult list = keel("policy", "list");
        assertThat(list.out()).contains("triple").contains("3.00x").contains("yes (3 hosts");
        assertThat(list.out()).contains("small").contains("EC 1+2");
        assertThat(list.out()).doesNotContain("racks").doesNotContain("cold").doesNotContain("wide");
        assertThat(keel("policy", "delete", "small").code()).isZero();
        assertThat(keel("policy", "delete", "triple").code()).isZero();
        assertThat(keel("policy", "show", "triple").code()).isEqualTo(1);
    }

    /** Runs last: it grows the cluster to four nodes and the metadata group to four members and back. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aNodeJoinedLaterGetsRolesAndTheMetadataGroupChangesLive() throws Exception {
        Path n4 = dir.resolve("node4");
        java.nio.file.Files.createDirectories(n4);
        int[] ports = LocalCluster.freePorts(2);
        String token = keel("-o", "json", "node", "token").out().replaceAll("(?s).*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        Process p = cluster.launch(java.util.List.of("--nbd-port", "0", "--name", "node4", "--data-dir", n4.resolve("data").toString(),
                "--bind", "127.0.0.1", "--api-port", Integer.toString(ports[0]), "--raft-port", Integer.toString(ports[1]),
                "--detection-time", "5s", "--disk", "d0=" + n4.resolve("disks/d0"), "--disk", "d1=" + n4.resolve("disks/d1"),
                "--join", cluster.node(1).apiAddress(), "--token", token), n4, n4.resolve("node.out"));
        try {
            io.keel.node.embedded.Poll.until(java.time.Duration.ofSeconds(60), "node4 Unassigned",
                    () -> keel("node", "list").out().lines().anyMatch(l -> l.startsWith("node4") && l.contains("Unassigned")));
            // Automatic roles stop at three metadata services (ADR 0004): a fourth is asked for.
            CliResult joined = keel("node", "join-cluster", "node4", "--role", "d0=metadata", "--role", "d1=storage");
            assertThat(joined.code()).as(joined.err()).isZero();
            io.keel.node.embedded.Poll.until(java.time.Duration.ofSeconds(60), "4 metadata members in quorum",
                    () -> keel("cluster", "show").out().contains("quorum: yes (4 of 4 up)"));
            assertThat(keel("disk", "list", "--node", "node4").out()).contains("metadata").contains("storage");

            CliResult removed = keel("disk", "assign", "node4", "d0", "--role", "none");
            assertThat(removed.code()).as(removed.err()).isZero();
            io.keel.node.embedded.Poll.until(java.time.Duration.ofSeconds(60), "metadata group back to 3 members",
                    () -> keel("cluster", "show").out().contains("quorum: yes (3 of 3 up)"));
            io.keel.node.embedded.Poll.until(java.time.Duration.ofSeconds(30), "node4's metadata service to stop",
                    () -> !listening(ports[1]));
            assertThat(keel("node", "show", "node4").code()).isZero();
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
