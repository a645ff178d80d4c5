package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.api.dto.AddComputeNodeRequest;
import io.keel.api.dto.CreateComputeClusterRequest;
import io.keel.api.dto.CreateFlavorRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compute cluster and flavor routes over real HTTP against {@link FakeComputeService}. */
class ComputeRoutesTest {
    private static final FakeComputeService compute = new FakeComputeService();
    private static LoggedInApi api;

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), compute);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void reset() {
        compute.reset();
    }

    @Test
    void createShowAndDeleteTheComputeCluster() {
        HttpResponse<String> created = api.send("POST", "/api/v1/compute", "{\"nodes\":[\"node1\",\"node2\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode c = json(created);
        assertThat(c.get("createdAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(c.get("vcpus").asInt()).isEqualTo(4);
        assertThat(c.get("ramAllocatedBytes").asLong()).isZero();
        JsonNode n = c.get("nodes").get(1);
        assertThat(n.get("name").asText()).isEqualTo("node2");
        assertThat(n.get("ramBytes").asLong()).isEqualTo(4L << 30);
        assertThat(n.get("vcpusAllocated").asInt()).isZero();
        assertThat(n.get("accelerator").asText()).isEqualTo("tcg");
        assertThat(n.get("acceleratorMode").asText()).isEqualTo("auto");
        assertThat(n.get("acceleratorReason").asText()).contains("/dev/kvm");

        assertThat(json(api.send("GET", "/api/v1/compute", null)).get("nodes")).hasSize(2);
        HttpResponse<String> deleted = api.send("DELETE", "/api/v1/compute", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertError(api.send("GET", "/api/v1/compute", null), 404, "not_found", "there is no compute cluster");
        assertThat(compute.calls).containsExactly(new CreateComputeClusterRequest(List.of("node1", "node2")), "show",
                "delete", "show");
    }

    @Test
    void addAndRemoveNodesAnswerTheCluster() {
        api.send("POST", "/api/v1/compute", "{\"nodes\":[\"node1\"]}");
        HttpResponse<String> added = api.send("POST", "/api/v1/compute/nodes", "{\"node\":\"node2\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(json(added).get("nodes")).hasSize(2);
        HttpResponse<String> removed = api.send("DELETE", "/api/v1/compute/nodes/node1", null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(json(removed).get("nodes").get(0).get("name").asText()).isEqualTo("node2");
        assertError(api.send("DELETE", "/api/v1/compute/nodes/node2", null), 409, "conflict",
                "node node2 is the compute cluster's last node");
        assertThat(compute.calls).contains(new AddComputeNodeRequest("node2"), "remove node1");
    }

    @Test
    void badNodesAndSecondCreatesKeepTheirStatus() {
        assertError(api.send("POST", "/api/v1/compute", "{\"nodes\":[\"nope\"]}"), 404, "not_found", "no node 'nope'");
        assertError(api.send("POST", "/api/v1/compute", "{\"nodes\":[\"node3\"]}"), 400, "invalid",
                "node node3 is UNHEALTHY");
        assertError(api.send("POST", "/api/v1/compute", "{\"nodes\":[]}"), 400, "invalid",
                "a compute cluster needs at least one node");
        api.send("POST", "/api/v1/compute", "{\"nodes\":[\"node1\"]}");
        assertError(api.send("POST", "/api/v1/compute", "{\"nodes\":[\"node2\"]}"), 409, "conflict",
                "a compute cluster already exists");
        HttpResponse<String> typo = api.send("POST", "/api/v1/compute/nodes", "{\"nodes\":\"node2\"}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("message").asText()).contains("unknown field \"nodes\"");
    }

    @Test
    void flavorsCreateListShowDelete() {
        HttpResponse<String> created = api.send("POST", "/api/v1/flavors",
                "{\"name\":\"web\",\"vcpus\":2,\"ram\":\"2G\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("ramMiB").asInt()).isEqualTo(2048);
        assertThat(json(created).get("ramBytes").asLong()).isEqualTo(2L << 30);
        assertThat(json(api.send("GET", "/api/v1/flavors", null)).get(0).get("name").asText()).isEqualTo("web");
        assertThat(json(api.send("GET", "/api/v1/flavors/web", null)).get("vcpus").asInt()).isEqualTo(2);
        assertThat(api.send("DELETE", "/api/v1/flavors/web", null).statusCode()).isEqualTo(204);
        assertError(api.send("GET", "/api/v1/flavors/web", null), 404, "not_found", "no flavor 'web'");
        assertError(api.send("DELETE", "/api/v1/flavors/web", null), 404, "not_found", "no flavor 'web'");
        assertThat(compute.calls.getFirst()).isEqualTo(new CreateFlavorRequest("web", 2, "2G"));
    }

    @Test
    void badFlavorsAre400AndDuplicates409() {
        assertError(api.send("POST", "/api/v1/flavors", "{\"name\":\"w\",\"vcpus\":1,\"ram\":\"lots\"}"), 400,
                "invalid", "ram must be a number of bytes or end in K, M, G, T (powers of 1024): \"lots\"");
        assertError(api.send("POST", "/api/v1/flavors", "{\"name\":\"w\",\"vcpus\":0,\"ram\":\"1G\"}"), 400,
                "invalid", "vCPUs must be 1-256");
        api.send("POST", "/api/v1/flavors", "{\"name\":\"w\",\"vcpus\":1,\"ram\":\"1G\"}");
        assertError(api.send("POST", "/api/v1/flavors", "{\"name\":\"w\",\"vcpus\":1,\"ram\":\"1G\"}"), 409,
                "conflict", "flavor 'w' already exists");
        assertThat(api.send("POST", "/api/v1/flavors", "").statusCode()).isEqualTo(400);
    }

    @Test
    void routesNeedASessionAndFailuresKeepTheirStatus() {
        assertThat(api.http.get("/api/v1/compute").statusCode()).isEqualTo(401);
        assertThat(api.http.get("/api/v1/flavors").statusCode()).isEqualTo(401);
        assertThat(api.http.send("DELETE", "/api/v1/compute", null).statusCode()).isEqualTo(401);
        assertThat(compute.calls).isEmpty();
        compute.failure = ApiException.quorumLost(1, 3);
        assertError(api.send("GET", "/api/v1/flavors", null), 503, "quorum_lost", "metadata quorum lost (1 of 3 up)");
    }

    @Test
    void aServerWithoutAComputeServiceAnswers503() {
        try (LoggedInApi plain = new LoggedInApi(new FakeClusterService(), Unserved.service(ComputeService.class, "compute is not served by this node"))) {
            assertError(plain.send("GET", "/api/v1/compute", null), 503, "unavailable",
                    "compute is not served by this node");
        }
    }
}
