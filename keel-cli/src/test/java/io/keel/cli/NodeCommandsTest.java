package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void listPrintsAnAlignedTable() {
        api.on("GET", "/api/v1/nodes", 200, Fixtures.NODES);

        Result r = run("node", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME   ID   STATUS      ADDRESS        ROLES             RACK    HEARTBEAT
                alpha  n-1  Healthy     10.0.0.1:8888  storage,metadata  Rack 7  0.4s
                beta   n-2  Unassigned  10.0.0.2:8888  -                 -       -
                """);
        assertThat(api.only().authorization()).isEqualTo("Bearer " + FakeApi.TOKEN);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listAsJsonIsTheApisJsonPrettyPrinted() throws Exception {
        api.on("GET", "/api/v1/nodes", 200, Fixtures.NODES);

        Result r = run("node", "list", "-o", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(Fixtures.NODES));
        assertThat(r.out()).startsWith("[\n  {\n    \"id\": \"n-1\",\n").contains("\"futureField\": \"ignored\"");
    }

    @Test
    void showPrintsTheNodeItsHardwareAndItsDisks() {
        api.on("GET", "/api/v1/nodes/alpha", 200, Fixtures.NODE_ALPHA);
        api.on("GET", "/api/v1/nodes/n-1/disks", 200, Fixtures.DISKS);

        Result r = run("node", "show", "alpha");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "name: alpha\n",
                "id: n-1\n",
                "status: Healthy\n",
                "address: 10.0.0.1:8888\n",
                "roles: storage, metadata\n",
                "location: Hall A / Row 1 / Rack 7\n",
                "heartbeat: 0.4s ago\n",
                "joined: 2026-11-22T10:00:00Z\n",
                "cpu: AMD EPYC 7302 (16 cores)\n",
                "memory: 64.0 GiB\n",
                "  eth0  up     1500  aa:bb:cc:dd:ee:01  10.0.0.1/24, fe80::1/64\n");
        assertThat(r.out()).containsPattern("(?m)^  DISK +KIND +DEVICE +SIZE +TYPE +SYSTEM +MODEL +ROLE$");
        assertThat(r.out()).containsPattern("(?m)^  sda +block +/dev/sda +238\\.5 GiB +SSD +yes +boot +system$");
        assertThat(r.out()).containsPattern("(?m)^  sdb +block +/dev/sdb +931\\.5 GiB +SSD +no +Samsung 870 +storage tier 0 \\(checksum\\)$");
        assertThat(r.out()).containsPattern("(?m)^  sdc +block +/dev/sdc +3\\.6 TiB +HDD +no +HGST +none$");
    }

    @Test
    void showOfANodeWithoutInventory() {
        api.on("GET", "/api/v1/nodes/beta", 200, Fixtures.NODE_BETA);
        api.on("GET", "/api/v1/nodes/n-2/disks", 200, "[]");

        Result r = run("node", "show", "beta");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("status: Unassigned\n", "location: -\n", "heartbeat: -\n", "disks:\n  (none)\n");
    }

    @Test
    void showEncodesTheNodeNameInThePath() {
        Result r = run("node", "show", "a b/c");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(api.only().path()).isEqualTo("/api/v1/nodes/a%20b%2Fc");
    }

    @Test
    void tokenShowsTheJoinCommandLine() {
        api.on("GET", "/api/v1/join-token", 200, Fixtures.TOKEN);

        for (String[] args : new String[][] {{"node", "token"}, {"node", "token", "show"}}) {
            Result r = run(args);

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains(
                    "token: JT-abc.def\n",
                    "generation: 3\n",
                    "expires: 2026-11-23T12:00:00Z (in 1d00h)\n",
                    "  keel node --join 10.0.0.1:8888 --token JT-abc.def\n");
        }
    }

    @Test
    void tokenWithoutManagementAddressFallsBackToTheApiAddress() {
        api.on("GET", "/api/v1/join-token", 200,
                "{\"token\":\"T\",\"generation\":1,\"expiresAt\":\"2026-11-23T12:00:00Z\"}");

        Result r = run("node", "token");

        assertThat(r.out()).contains("keel node --join " + api.url().substring("http://".length()) + " --token T\n");
    }

    @Test
    void rotateSendsTheTtlInSeconds() throws Exception {
        api.on("POST", "/api/v1/join-token/rotate", 200, Fixtures.TOKEN);

        Result r = run("node", "token", "rotate", "--ttl", "7d");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"ttlSeconds\":604800}"));
        assertThat(r.out()).contains("Rotated the join token.", "keel node --join 10.0.0.1:8888 --token JT-abc.def");
    }

    @Test
    void rotateWithoutTtlLeavesItToTheApi() throws Exception {
        api.on("POST", "/api/v1/join-token/rotate", 200, Fixtures.TOKEN);

        assertThat(run("node", "token", "rotate").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{}"));
    }

    @Test
    void rotateWithABadTtlIsAUsageError() {
        Result r = run("node", "token", "rotate", "--ttl", "24");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("invalid duration '24'").contains("Run 'keel node token rotate --help'");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void joinClusterSendsTheRoles() throws Exception {
        api.on("POST", "/api/v1/nodes/beta/join-cluster", 200, Fixtures.NODE_ALPHA);

        Result r = run("node", "join-cluster", "beta",
                "--role", "sdb=storage,tier=0,checksum",
                "--role", "nvme0n1=metadata+cache,tier=1",
                "--role", "sdc=storage,tier=2,no-checksum,cache",
                "--role", "sdd=none");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("""
                {"roles":[
                  {"disk":"sdb","role":"storage","tier":0,"checksumming":true},
                  {"disk":"nvme0n1","role":"metadata+cache","tier":1},
                  {"disk":"sdc","role":"storage","tier":2,"checksumming":false,"caching":true},
                  {"disk":"sdd","role":"none"}]}
                """));
        assertThat(r.out()).contains("joined the storage cluster");
    }

    @Test
    void joinClusterWithoutRolesLetsTheApiChoose() throws Exception {
        api.on("POST", "/api/v1/nodes/beta/join-cluster", 200, Fixtures.NODE_ALPHA);

        assertThat(run("node", "join-cluster", "beta").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{}"));
    }

    @Test
    void joinClusterRejectsBadRolesBeforeSendingAnything() {
        for (String bad : new String[] {"sdb", "=storage", "sdb=bogus", "sdb=storage,tier=4", "sdb=metadata,tier=0",
                "sdb=cache,checksum", "sdb=storage,fast", "sdb=storage,tier=x"}) {
            Result r = run("node", "join-cluster", "beta", "--role", bad);

            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("invalid role '" + bad + "'");
        }
        Result twice = run("node", "join-cluster", "beta", "--role", "sdb=none", "--role", "sdb=storage");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("more than one --role");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void joinClusterConflictIsReported() {
        api.on("POST", "/api/v1/nodes/alpha/join-cluster", 409,
                Fixtures.error("conflict", "node alpha is already in the storage cluster"));

        Result r = run("node", "join-cluster", "alpha");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: node alpha is already in the storage cluster (conflict, HTTP 409)\n");
    }

    @Test
    void releaseAndCancel() {
        String releasing = Fixtures.NODE_ALPHA.replace("\"inventory\":", "\"release\":\"draining since 2026-11-22T11:00:00Z\",\"inventory\":");
        api.on("POST", "/api/v1/nodes/alpha/release", 200, releasing);
        api.on("DELETE", "/api/v1/nodes/alpha/release", 200, Fixtures.NODE_ALPHA);

        Result r = run("node", "release", "alpha");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Releasing node alpha (n-1): draining since 2026-11-22T11:00:00Z."
                + " No new chunks go to it and its data moves to other nodes.\n");
        Result cancel = run("node", "release", "alpha", "--cancel");
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).isEqualTo("Stopped releasing node alpha (n-1); data already moved stays where it is.\n");
        assertThat(api.requests()).extracting(FakeApi.Request::method).containsExactly("POST", "DELETE");
        assertThat(api.requests().getFirst().body()).isEmpty();
    }

    @Test
    void releaseThatWouldBreakRedundancyIsRefused() {
        api.on("POST", "/api/v1/nodes/alpha/release", 409, Fixtures.error("conflict",
                "releasing node alpha would break redundancy: without it, policy triple has 2 of 3 hosts"));

        Result r = run("node", "release", "alpha");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: releasing node alpha would break redundancy").contains("HTTP 409");
    }

    @Test
    void showSaysWhenANodeIsBeingReleased() {
        String releasing = Fixtures.NODE_ALPHA.replace("\"inventory\":", "\"release\":\"draining since 2026-11-22T11:00:00Z\",\"inventory\":");
        api.on("GET", "/api/v1/nodes/alpha", 200, releasing);
        api.on("GET", "/api/v1/nodes/n-1/disks", 200, "[]");

        Result r = run("node", "show", "alpha");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("joined: 2026-11-22T10:00:00Z\nrelease: draining since 2026-11-22T11:00:00Z\n");
    }
}
