package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterAndDiskCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void clusterShowPrintsTheMetadataQuorumWithTheLeaderMarked() {
        api.on("GET", "/api/v1/cluster", 200, Fixtures.CLUSTER);

        Result r = run("cluster", "show");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name: prod
                id: c-1
                created: 2026-11-20T08:00:00Z
                storage cluster created: 2026-11-20T09:00:00Z
                encryption: on
                management node: alpha (n-1)
                nodes: 3
                metadata members:
                  NAME   ID   ADDRESS        STATE  ROLE
                  alpha  n-1  10.0.0.1:9000  up     follower
                  beta   n-2  10.0.0.2:9000  up     leader
                  gamma  n-3  10.0.0.3:9000  up     follower
                leader: beta (n-2)
                term: 7
                commit index: 1234
                quorum: yes (3 of 3 up)
                """);
    }

    @Test
    void clusterShowBeforeTheStorageClusterExists() {
        api.on("GET", "/api/v1/cluster", 200, Fixtures.CLUSTER_UNINITIALISED);

        Result r = run("cluster", "show");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("name: (no storage cluster)\n").contains("quorum: yes (1 of 1 up)\n")
                .doesNotContain("encryption");
    }

    @Test
    void clusterShowAsJson() throws Exception {
        api.on("GET", "/api/v1/cluster", 200, Fixtures.CLUSTER);

        Result r = run("-o", "json", "cluster", "show");

        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(Fixtures.CLUSTER));
    }

    @Test
    void clusterCreateSendsNameNodesAndEncryption() throws Exception {
        api.on("POST", "/api/v1/cluster", 201, Fixtures.CLUSTER);

        Result r = run("cluster", "create", "prod", "--nodes", "alpha, beta,gamma", "--encryption");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree(
                "{\"name\":\"prod\",\"nodes\":[\"alpha\",\"beta\",\"gamma\"],\"encryption\":true}"));
        assertThat(r.out()).startsWith("Created storage cluster prod with 3 nodes.\n").contains("quorum: yes (3 of 3 up)");
    }

    @Test
    void clusterCreateWithDefaultsSendsOnlyTheName() throws Exception {
        api.on("POST", "/api/v1/cluster", 201, Fixtures.CLUSTER);

        assertThat(run("cluster", "create", "prod").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"prod\"}"));
    }

    @Test
    void clusterCreateWithoutEncryption() throws Exception {
        api.on("POST", "/api/v1/cluster", 201, Fixtures.CLUSTER);

        assertThat(run("cluster", "create", "prod", "--no-encryption").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"prod\",\"encryption\":false}"));
    }

    @Test
    void clusterCreateWhenQuorumIsLost() {
        api.on("POST", "/api/v1/cluster", 503, Fixtures.error("quorum_lost", "metadata quorum lost (1 of 3 up)"));

        Result r = run("cluster", "create", "prod");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: metadata quorum lost (1 of 3 up) (quorum_lost, HTTP 503)\n");
    }

    @Test
    void diskListPrintsSizesTypesAndRoles() {
        api.on("GET", "/api/v1/disks", 200, Fixtures.DISKS);

        Result r = run("disk", "list", "--node", "alpha one");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.only().query()).isEqualTo("node=alpha+one");
        assertThat(r.out()).isEqualTo("""
                NODE   DISK  KIND   DEVICE    SIZE       TYPE  SYSTEM  ROLE
                alpha  sda   block  /dev/sda  238.5 GiB  SSD   yes     system
                alpha  sdb   block  /dev/sdb  931.5 GiB  SSD   no      storage tier 0 (checksum)
                alpha  sdc   block  /dev/sdc  3.6 TiB    HDD   no      none
                """);
    }

    @Test
    void diskListOfAllNodesHasNoQuery() {
        api.on("GET", "/api/v1/disks", 200, "[]");

        Result r = run("disk", "list");

        assertThat(r.exit()).isZero();
        assertThat(api.only().query()).isNull();
        assertThat(r.out()).isEqualTo("NODE  DISK  KIND  DEVICE  SIZE  TYPE  SYSTEM  ROLE\n");
    }

    @Test
    void diskAssignSendsTheRole() throws Exception {
        api.on("PUT", "/api/v1/nodes/alpha/disks/sdc/role", 200, Fixtures.DISK_SDB);

        Result r = run("disk", "assign", "alpha", "sdc", "--role", "storage", "--tier", "1", "--no-checksumming",
                "--caching");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree(
                "{\"role\":\"storage\",\"tier\":1,\"checksumming\":false,\"caching\":true}"));
        assertThat(r.out()).isEqualTo("Disk sdb of node alpha is now: storage tier 0 (checksum)\n");
    }

    @Test
    void diskAssignMetadataPlusCache() throws Exception {
        api.on("PUT", "/api/v1/nodes/alpha/disks/nvme0n1/role", 200, Fixtures.DISK_SDB);

        assertThat(run("disk", "assign", "alpha", "nvme0n1", "--role", "metadata+cache", "--tier", "0").exit()).isZero();
        assertThat(JSON.readTree(api.only().body()))
                .isEqualTo(JSON.readTree("{\"role\":\"metadata+cache\",\"tier\":0}"));
    }

    @Test
    void diskAssignRejectsInconsistentRoles() {
        String[][] bad = {
            {"disk", "assign", "alpha", "sdb", "--role", "metadata", "--tier", "1"},
            {"disk", "assign", "alpha", "sdb", "--role", "cache", "--tier", "0", "--checksumming"},
            {"disk", "assign", "alpha", "sdb", "--role", "storage", "--tier", "9"},
            {"disk", "assign", "alpha", "sdb", "--role", "fast"},
            {"disk", "assign", "alpha", "sdb", "--role", "storage", "--tier", "one"},
            {"disk", "assign", "alpha", "sdb"},
            {"disk", "assign", "alpha", "--role", "none"},
        };
        for (String[] args : bad) {
            Result r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("error: ").contains("Run 'keel disk assign --help'");
        }
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void diskAssignOfAnUnknownDisk() {
        api.on("PUT", "/api/v1/nodes/alpha/disks/sdz/role", 404, Fixtures.error("not_found", "no disk sdz on node alpha"));

        Result r = run("disk", "assign", "alpha", "sdz", "--role", "none");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no disk sdz on node alpha (not_found, HTTP 404)\n");
    }
}
