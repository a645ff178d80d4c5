package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TRIPLE = """
            {"name":"triple","tier":0,"failureDomain":"host","replicas":3,"redundancy":"3 replicas","overhead":3.0,
             "domainsAvailable":3,"placeable":true,"ec":null,"pieces":3,"holdsVolumes":true}
            """;

    static final String WIDE = """
            {"name":"wide","tier":0,"failureDomain":"host","replicas":0,"redundancy":"EC 5+2","overhead":1.4,
             "domainsAvailable":7,"placeable":true,"ec":"5+2","pieces":7,"holdsVolumes":true}
            """;

    /** A server from before erasure coding sends neither ec, pieces nor holdsVolumes. */
    static final String OLD = """
            {"name":"double","tier":1,"failureDomain":"rack","replicas":2,"redundancy":"2 replicas","overhead":2.0,
             "domainsAvailable":1,"placeable":false}
            """;

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void listShowsRedundancyAndOverhead() {
        api.on("GET", "/api/v1/policies", 200, "[" + TRIPLE + "," + WIDE + "," + OLD + "]");

        Result r = run("policy", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME    TIER  FAILURE DOMAIN  REDUNDANCY  OVERHEAD  PLACEABLE
                triple  0     host            3 replicas  3.00x     yes (3 hosts with tier-0 storage)
                wide    0     host            EC 5+2      1.40x     yes (7 hosts with tier-0 storage)
                double  1     rack            2 replicas  2.00x     no (1 rack with tier-1 storage)
                """);
    }

    @Test
    void showOfAnEcPolicySaysItHoldsNoVolumesYet() {
        api.on("GET", "/api/v1/policies/wide", 200, WIDE);

        Result r = run("policy", "show", "wide");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name: wide
                tier: 0
                failure domain: host
                redundancy: EC 5+2
                overhead: 1.40x raw per byte of data
                pieces: 7 per chunk, each on its own host
                placeable: yes (7 hosts with tier-0 storage)
                """);
    }

    @Test
    void showOfAnOldServersPolicyLeavesOutWhatItDoesNotSend() {
        api.on("GET", "/api/v1/policies/double", 200, OLD);

        Result r = run("policy", "show", "double");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("redundancy: 2 replicas\n").contains("overhead: 2.00x raw per byte of data\n")
                .doesNotContain("pieces:").doesNotContain("holds volumes:");
    }

    @Test
    void createWithEcSendsTheMode() throws Exception {
        api.on("POST", "/api/v1/policies", 201, WIDE);

        Result r = run("policy", "create", "wide", "--ec", "5+2", "--failure-domain", "HOST");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body()))
                .isEqualTo(JSON.readTree("{\"name\":\"wide\",\"failureDomain\":\"host\",\"ec\":\"5+2\"}"));
        assertThat(r.out()).isEqualTo(
                "Created storage policy wide: tier 0, EC 5+2 (overhead 1.40x), failure domain host.\n");
    }

    @Test
    void createWithReplicasSendsTheCount() throws Exception {
        api.on("POST", "/api/v1/policies", 201, TRIPLE);

        Result r = run("policy", "create", "triple", "--replicas", "3", "--tier", "0");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body()))
                .isEqualTo(JSON.readTree("{\"name\":\"triple\",\"tier\":0,\"replicas\":3}"));
        assertThat(r.out()).isEqualTo(
                "Created storage policy triple: tier 0, 3 replicas (overhead 3.00x), failure domain host.\n");
    }

    @Test
    void replicasAndEcExcludeEachOther() {
        Result r = run("policy", "create", "p", "--replicas", "2", "--ec", "5+2");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--replicas and --ec exclude each other");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void malformedEcModesAreRefusedBeforeAsking() {
        for (String bad : new String[] {"5", "5+", "five+two", "5:2", "5+2+1"}) {
            Result r = run("policy", "create", "p", "--ec", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--ec must be M+N");
        }
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void theServersRefusalIsShown() {
        api.on("POST", "/api/v1/policies", 400, Fixtures.error("invalid",
                "policy 'wide' needs 7 hosts with tier-0 storage disks (failure domain host, EC 5+2);"
                        + " the cluster has 3 (a, b, c)"));

        Result r = run("policy", "create", "wide", "--ec", "5+2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("needs 7 hosts with tier-0 storage disks (failure domain host, EC 5+2)");
    }
}
