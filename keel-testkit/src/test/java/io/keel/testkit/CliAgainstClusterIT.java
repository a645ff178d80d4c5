package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI against a real cluster, logged in the way {@code ./keel up} leaves it: the
 * administrator's view of issue 3 (nodes, cluster, disks, tokens, locations, bad input).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
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

    record Result(int code, String out, String err) {}

    private Result keel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new KeelCli(a -> 1, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("KEEL_CLI_CONFIG", cluster.embedded().cliConfig().toString(), "HOME", dir.toString()))
                .run(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void nodeListShowsThreeHealthyNodes() {
        Result r = keel("node", "list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("node1", "node2", "node3");
        assertThat(r.out().lines().filter(l -> l.contains("Healthy")).count()).isEqualTo(3);
    }

    @Test
    void clusterShowNamesTheStorageClusterAndItsQuorum() {
        Result r = keel("cluster", "show");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("keel").contains("3 of 3 up");
    }

    @Test
    void disksOfAnEmbeddedNodeAreItsDirectoryDisksWithRoles() {
        Result r = keel("disk", "list", "--node", "node2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("d0", "d1", "d2").contains("metadata").contains("storage");
    }

    @Test
    void aSecondStorageClusterAndABadNameAreRefusedWithTheReason() {
        Result bad = keel("cluster", "create", "my cluster");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("letters").contains("invalid");
        Result again = keel("cluster", "create", "second");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void tokenShowsTheJoinCommand() {
        Result r = keel("node", "token");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("keel node --join " + cluster.node(1).apiAddress() + " --token keel1.");
    }

    @Test
    void locationsCanBeCreatedAndNodesMoved() {
        Result created = keel("-o", "json", "location", "create", "rack", "rack-b", "--parent", "default-row");
        assertThat(created.code()).as(created.err()).isZero();
        String id = created.out().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        Result moved = keel("location", "move", "node3", "--rack", id);
        assertThat(moved.code()).as(moved.err()).isZero();
        Result tree = keel("location", "list");
        assertThat(tree.out()).contains("rack-b");
        Result delete = keel("location", "delete", id);
        assertThat(delete.code()).isEqualTo(1);
        assertThat(delete.err()).contains("conflict");
    }
}
