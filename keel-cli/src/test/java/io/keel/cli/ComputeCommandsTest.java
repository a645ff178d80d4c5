package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComputeCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CLUSTER = """
            {"createdAt":"2026-11-22T10:00:00Z","vcpus":6,"ramBytes":12884901888,"vcpusAllocated":0,
             "ramAllocatedBytes":0,"nodes":[
             {"id":"n1","name":"alpha","status":"HEALTHY","vcpus":4,"ramBytes":8589934592,"vcpusAllocated":0,
              "ramAllocatedBytes":0,"accelerator":"tcg","acceleratorMode":"auto",
              "acceleratorReason":"auto: the CPU flags show neither vmx nor svm"},
             {"id":"n2","name":"beta","status":"UNHEALTHY","vcpus":2,"ramBytes":4294967296,"vcpusAllocated":0,
              "ramAllocatedBytes":0,"accelerator":null,"acceleratorMode":null,"acceleratorReason":null}]}""";

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void showPrintsCapacityAllocationAndAccelerators() {
        api.on("GET", "/api/v1/compute", 200, CLUSTER);

        Result r = run("compute", "show");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                created: 2026-11-22T10:00:00Z
                capacity: 6 vCPUs, 12.0 GiB RAM; allocated 0 vCPUs, 0 B
                NAME   STATUS     VCPUS  RAM      VCPUS USED  RAM USED  ACCELERATOR
                alpha  Healthy    4      8.0 GiB  0           0 B       tcg
                beta   Unhealthy  2      4.0 GiB  0           0 B       -
                accelerators:
                  alpha: tcg (auto: the CPU flags show neither vmx nor svm)
                  beta: not reported yet
                """);
    }

    @Test
    void showAsJsonIsTheApisAnswer() throws Exception {
        api.on("GET", "/api/v1/compute", 200, CLUSTER);

        Result r = run("compute", "show", "-o", "json");

        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(CLUSTER));
    }

    @Test
    void createSendsTheNodesItWasGiven() throws Exception {
        api.on("POST", "/api/v1/compute", 201, CLUSTER);

        Result r = run("compute", "create", "--nodes", "alpha,n2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"nodes\":[\"alpha\",\"n2\"]}"));
        assertThat(r.out()).startsWith("Created the compute cluster.\ncreated: 2026-11-22T10:00:00Z\n");
    }

    @Test
    void createNeedsNodes() {
        Result r = run("compute", "create");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--nodes=NODE'");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void refusalsAreTheApisError() {
        api.on("POST", "/api/v1/compute", 404, Fixtures.error("not_found", "no node 'ghost'"));

        Result r = run("compute", "create", "--nodes", "ghost");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no node 'ghost' (not_found, HTTP 404)\n");
    }

    @Test
    void addAndRemoveNodes() throws Exception {
        api.on("POST", "/api/v1/compute/nodes", 200, CLUSTER);
        api.on("DELETE", "/api/v1/compute/nodes/beta", 200, CLUSTER);

        Result added = run("compute", "add-node", "beta");
        Result removed = run("compute", "remove-node", "beta");

        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).startsWith("Added beta to the compute cluster.\n");
        assertThat(JSON.readTree(api.requests().get(0).body())).isEqualTo(JSON.readTree("{\"node\":\"beta\"}"));
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).startsWith("Removed beta from the compute cluster.\n");
    }

    @Test
    void deleteAsksForTheWordCompute() {
        api.on("DELETE", "/api/v1/compute", 204, null);
        stdin = "compute\n";

        Result r = run("compute", "delete");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("Delete the compute cluster? Type 'compute' to confirm: ");
        assertThat(r.out()).isEqualTo("Deleted the compute cluster.\n");
    }

    @Test
    void deleteWithoutConfirmationDeletesNothing() {
        stdin = "yes\n";
        Result wrong = run("compute", "delete");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).endsWith("error: compute cluster not deleted: the name typed did not match\n");
        assertThat(api.requests()).isEmpty();

        api.on("DELETE", "/api/v1/compute", 204, null);
        assertThat(run("compute", "delete", "--yes").exit()).isZero();
        assertThat(api.only().method()).isEqualTo("DELETE");
    }
}
