package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.testkit.LocalCluster.CliResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The compute cluster and flavors through the real CLI against three real nodes (issue 5 items 1
 * and 3): created from two nodes by name, capacity and the accelerator reported by the nodes
 * themselves (TCG here: this machine's KVM is a nested software hypervisor), default flavors,
 * custom ones, bad input refused with the reason and nothing changed, nodes added and removed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComputeClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LocalCluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = LocalCluster.start(dir, 3, "5s");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close("ComputeClusterIT");
        }
    }

    private static CliResult keel(String... args) {
        return cluster.cli(dir, args);
    }

    private static JsonNode json(CliResult r) throws Exception {
        return JSON.readTree(r.out());
    }

    private static CliResult ok(String... args) {
        CliResult r = keel(args);
        assertThat(r.code()).as("keel %s: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static List<String> computeNodes() throws Exception {
        return names(json(ok("compute", "show", "-o", "json")).path("nodes"));
    }

    @Test
    @Order(1)
    void anUnknownNodeIsRefusedAndNothingIsCreated() {
        CliResult r = keel("compute", "create", "--nodes", "node1,ghost");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no node 'ghost'").contains("HTTP 404");
        CliResult show = keel("compute", "show");
        assertThat(show.code()).isEqualTo(1);
        assertThat(show.err()).contains("there is no compute cluster");
    }

    @Test
    @Order(2)
    void createdFromTwoNodesByNameWithCapacityAndTheirAccelerator() throws Exception {
        ok("compute", "create", "--nodes", "node1,node2");
        JsonNode c = json(ok("compute", "show", "-o", "json"));
        assertThat(names(c.path("nodes"))).containsExactly("node1", "node2");
        for (JsonNode n : c.path("nodes")) {
            assertThat(n.path("status").asText()).isEqualTo("HEALTHY");
            assertThat(n.path("vcpus").asInt()).isPositive();
            assertThat(n.path("ramBytes").asLong()).isPositive();
            assertThat(n.path("vcpusAllocated").asInt()).isZero();
            assertThat(n.path("ramAllocatedBytes").asLong()).isZero();
            assertThat(n.path("accelerator").asText()).isEqualTo("tcg");
            assertThat(n.path("acceleratorMode").asText()).isEqualTo("auto");
            assertThat(n.path("acceleratorReason").asText()).startsWith("auto: ").hasSizeGreaterThan(20);
        }
        assertThat(c.path("vcpus").asInt()).isEqualTo(c.path("nodes").get(0).path("vcpus").asInt() * 2);
        assertThat(ok("compute", "show").out()).contains("node1", "node2", "tcg (auto: ");

        CliResult again = keel("compute", "create", "--nodes", "node3");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("a compute cluster already exists (nodes node1, node2)");
    }

    @Test
    @Order(3)
    void defaultFlavorsAreInstalled() throws Exception {
        JsonNode flavors = json(ok("flavor", "list", "-o", "json"));
        assertThat(names(flavors)).containsExactly("large", "medium", "small", "tiny", "xlarge");
        JsonNode small = json(ok("flavor", "show", "small", "-o", "json"));
        assertThat(small.path("vcpus").asInt()).isEqualTo(1);
        assertThat(small.path("ramMiB").asInt()).isEqualTo(2048);
    }

    @Test
    @Order(4)
    void aCustomFlavorIsCreatedAndDeletedAndBadOnesAreRefused() throws Exception {
        assertThat(ok("flavor", "create", "web", "--vcpus", "2", "--ram", "1536M").out())
                .isEqualTo("Created flavor web: 2 vCPUs, 1.5 GiB RAM.\n");
        assertThat(ok("flavor", "show", "web").out()).contains("ram: 1.5 GiB (1536 MiB)");

        CliResult zero = keel("flavor", "create", "none", "--vcpus", "0", "--ram", "512M");
        assertThat(zero.code()).isEqualTo(1);
        assertThat(zero.err()).contains("vCPUs must be 1-256, got 0").contains("HTTP 400");
        CliResult duplicate = keel("flavor", "create", "web", "--vcpus", "1", "--ram", "512M");
        assertThat(duplicate.code()).isEqualTo(1);
        assertThat(duplicate.err()).contains("flavor \"web\" already exists (2 vCPUs, 1536 MiB RAM)")
                .contains("HTTP 409");
        CliResult odd = keel("flavor", "create", "odd", "--vcpus", "1", "--ram", "66M");
        assertThat(odd.code()).isEqualTo(1);
        assertThat(odd.err()).contains("multiple of 4 MiB");
        assertThat(names(json(ok("flavor", "list", "-o", "json"))))
                .containsExactly("large", "medium", "small", "tiny", "web", "xlarge");
        assertThat(json(ok("flavor", "show", "web", "-o", "json")).path("vcpus").asInt()).isEqualTo(2);

        ok("flavor", "delete", "web");
        assertThat(keel("flavor", "show", "web").err()).contains("no flavor 'web'");
        assertThat(names(json(ok("flavor", "list", "-o", "json")))).hasSize(5);
    }

    @Test
    @Order(5)
    void nodesAreAddedAndRemovedAndTheLastOneStays() throws Exception {
        ok("compute", "add-node", "node3");
        assertThat(computeNodes()).containsExactly("node1", "node2", "node3");
        CliResult twice = keel("compute", "add-node", "node3");
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).contains("already in the compute cluster");

        ok("compute", "remove-node", "node1");
        ok("compute", "remove-node", "node2");
        assertThat(computeNodes()).containsExactly("node3");
        CliResult last = keel("compute", "remove-node", "node3");
        assertThat(last.code()).isEqualTo(1);
        assertThat(last.err()).contains("last node: delete the compute cluster instead");
        assertThat(computeNodes()).containsExactly("node3");
    }

    @Test
    @Order(6)
    void deletingTheComputeClusterKeepsTheFlavors() throws Exception {
        ok("compute", "delete", "--yes");
        assertThat(keel("compute", "show").err()).contains("there is no compute cluster");
        assertThat(names(json(ok("flavor", "list", "-o", "json")))).hasSize(5);
    }
}
