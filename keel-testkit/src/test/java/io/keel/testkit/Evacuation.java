package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The maintenance half of {@link HaFailoverBench}: {@code count} running VMs on node2, the node
 * put into maintenance, timed until every VM runs on another node (live-migrated, ADR 0030).
 */
final class Evacuation {
    private static final Duration BOOT = Duration.ofSeconds(240);

    private final LocalCluster cluster;
    private final ApiSession api;

    Evacuation(LocalCluster cluster, ApiSession api) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.api = Objects.requireNonNull(api, "api");
    }

    /** Returns the result line {@code evacuate <count> <ms>}. */
    String measure(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            VmTestBed.bootVolume(cluster, api, "boot-evac" + i);
            ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "evac" + i, "flavor", "bench",
                    "volume", "boot-evac" + i, "node", "node2", "placement", "auto"));
            assertThat(r.status()).as(r.message()).isEqualTo(201);
            ids.add(r.body().path("id").asText());
        }
        for (String id : ids) {
            Poll.until(BOOT, "VM " + id + " booted on node2", () -> HaFailoverBench.boots(cluster, 2, id) > 0);
        }
        long start = System.nanoTime();
        ApiSession.Reply entered = api.post("/api/v1/nodes/node2/maintenance", Map.of());
        assertThat(entered.status()).as(entered.message()).isBetween(200, 202);
        Poll.until(Duration.ofSeconds(600), "every VM moved off node2", () -> {
            for (int i = 1; i <= count; i++) {
                JsonNode v = vm("evac" + i);
                if (v.path("nodeName").asText().equals("node2") || !v.path("status").asText().equals("ACTIVE")) {
                    return false;
                }
            }
            return true;
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(api.call("DELETE", "/api/v1/nodes/node2/maintenance", null).status()).isBetween(200, 204);
        return "evacuate " + count + " " + ms;
    }

    private JsonNode vm(String name) {
        try {
            return api.get("/api/v1/vms/" + name).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
