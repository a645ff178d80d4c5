package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlavorCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL = "{\"name\":\"small\",\"vcpus\":1,\"ramMiB\":2048,\"ramBytes\":2147483648}";
    private static final String FLAVORS = "[{\"name\":\"large\",\"vcpus\":4,\"ramMiB\":8192,\"ramBytes\":8589934592},"
            + SMALL + "]";

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void listPrintsATable() {
        api.on("GET", "/api/v1/flavors", 200, FLAVORS);

        Result r = run("flavor", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME   VCPUS  RAM
                large  4      8.0 GiB
                small  1      2.0 GiB
                """);
    }

    @Test
    void listWithoutFlavorsAndAsJson() throws Exception {
        api.on("GET", "/api/v1/flavors", 200, "[]");
        assertThat(run("flavor", "list").out()).isEqualTo("(no flavors)\n");
        api.on("GET", "/api/v1/flavors", 200, FLAVORS);
        assertThat(JSON.readTree(run("flavor", "list", "-o", "json").out())).isEqualTo(JSON.readTree(FLAVORS));
    }

    @Test
    void showPrintsEveryField() {
        api.on("GET", "/api/v1/flavors/small", 200, SMALL);

        assertThat(run("flavor", "show", "small").out()).isEqualTo("name: small\nvcpus: 1\nram: 2.0 GiB (2048 MiB)\n");
    }

    @Test
    void createSendsTheSizeAsTyped() throws Exception {
        api.on("POST", "/api/v1/flavors", 201, SMALL);

        Result r = run("flavor", "create", "small", "--vcpus", "1", "--ram", "2G");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body()))
                .isEqualTo(JSON.readTree("{\"name\":\"small\",\"vcpus\":1,\"ram\":\"2G\"}"));
        assertThat(r.out()).isEqualTo("Created flavor small: 1 vCPU, 2.0 GiB RAM.\n");
    }

    @Test
    void aMalformedSizeIsAUsageErrorWithoutARoundTrip() {
        Result r = run("flavor", "create", "x", "--vcpus", "1", "--ram", "lots");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("size must be a number of bytes or end in K, M, G, T");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void theApiJudgesTheValues() {
        api.on("POST", "/api/v1/flavors", 400,
                Fixtures.error("invalid", "flavor \\\"x\\\": vCPUs must be 1-256, got 0"));

        Result r = run("flavor", "create", "x", "--vcpus", "0", "--ram", "512M");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: flavor \"x\": vCPUs must be 1-256, got 0 (invalid, HTTP 400)\n");
    }

    @Test
    void deleteNeedsNoConfirmation() {
        api.on("DELETE", "/api/v1/flavors/small", 204, null);

        Result r = run("flavor", "delete", "small");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deleted flavor small.\n");
    }
}
