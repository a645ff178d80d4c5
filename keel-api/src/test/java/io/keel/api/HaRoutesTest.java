package io.keel.api;

import static io.keel.api.HttpTestClient.json;
import static io.keel.api.LoggedInApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.dto.HaSettingsRequest;
import io.keel.api.dto.HaSettingsView;
import io.keel.api.dto.MaintenanceBlockerView;
import io.keel.api.dto.MaintenanceMoveView;
import io.keel.api.dto.MaintenancePlanView;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HA settings and maintenance routes over real HTTP against a fake service. */
class HaRoutesTest {
    private static final List<Object> calls = new ArrayList<>();
    private static LoggedInApi api;

    /** Node "node1" has a pinned VM running: entering maintenance is refused with it. */
    private static final class FakeHa implements HaService {
        private HaSettingsView settings = new HaSettingsView(true, "drs", 60);

        @Override
        public HaSettingsView settings() {
            calls.add("settings");
            return settings;
        }

        @Override
        public HaSettingsView setSettings(HaSettingsRequest r) {
            calls.add(r);
            if (r.relocation() != null && !List.of("drs", "round-robin").contains(r.relocation())) {
                throw ApiException.invalid("relocation mode '" + r.relocation() + "' is not known: use drs or round-robin");
            }
            settings = new HaSettingsView(r.migrateBack() == null ? settings.migrateBack() : r.migrateBack(),
                    r.relocation() == null ? settings.relocation() : r.relocation(), settings.shutdownTimeoutSeconds());
            return settings;
        }

        @Override
        public MaintenancePlanView maintenancePlan(String node) {
            calls.add("plan " + node);
            return plan(node, "active");
        }

        @Override
        public MaintenancePlanView enterMaintenance(String node) {
            calls.add("enter " + node);
            if (node.equals("node1")) {
                throw ApiException.conflict("node node1 cannot enter maintenance, blocked by VM db (pinned to node1)");
            }
            return plan(node, "maintenance");
        }

        @Override
        public MaintenancePlanView leaveMaintenance(String node) {
            calls.add("leave " + node);
            return new MaintenancePlanView(node, node, "active", List.of(), List.of(), List.of());
        }

        private static MaintenancePlanView plan(String node, String mode) {
            return new MaintenancePlanView(node, node, mode,
                    List.of(new MaintenanceMoveView("v1", "web", "migrate", "n3", "node3")),
                    node.equals("node1") ? List.of(new MaintenanceBlockerView("v2", "db", "pinned to node1")) : List.of(),
                    List.of("web"));
        }
    }

    @BeforeAll
    static void start() {
        api = new LoggedInApi(new FakeClusterService(), services -> services.withHa(new FakeHa()));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void reset() {
        calls.clear();
    }

    @Test
    void settingsReadAndChange() {
        assertThat(json(api.send("GET", "/api/v1/cluster/ha", null)).get("relocation").asText()).isEqualTo("drs");
        HttpResponse<String> set = api.send("PUT", "/api/v1/cluster/ha", "{\"relocation\":\"round-robin\",\"migrateBack\":false}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).get("relocation").asText()).isEqualTo("round-robin");
        assertThat(json(set).get("migrateBack").asBoolean()).isFalse();
        assertThat(calls).contains(new HaSettingsRequest(false, "round-robin", null));
        assertError(api.send("PUT", "/api/v1/cluster/ha", "{\"relocation\":\"fastest\"}"), 400, "invalid",
                "relocation mode 'fastest' is not known: use drs or round-robin");
    }

    @Test
    void settingsNeedASession() {
        assertThat(api.http.send("PUT", "/api/v1/cluster/ha", "{\"migrateBack\":false}").statusCode()).isEqualTo(401);
        assertThat(api.http.send("POST", "/api/v1/nodes/node2/maintenance", null).statusCode()).isEqualTo(401);
        assertThat(calls).isEmpty();
    }

    @Test
    void planEnterAndLeave() {
        HttpResponse<String> plan = api.send("GET", "/api/v1/nodes/node2/maintenance/plan", null);
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        assertThat(json(plan).get("moves").get(0).get("toName").asText()).isEqualTo("node3");
        HttpResponse<String> enter = api.send("POST", "/api/v1/nodes/node2/maintenance", null);
        assertThat(json(enter).get("mode").asText()).isEqualTo("maintenance");
        assertThat(json(enter).get("remaining").get(0).asText()).isEqualTo("web");
        HttpResponse<String> leave = api.send("DELETE", "/api/v1/nodes/node2/maintenance", null);
        assertThat(leave.statusCode()).isEqualTo(200);
        assertThat(json(leave).get("mode").asText()).isEqualTo("active");
        assertThat(calls).containsExactly("plan node2", "enter node2", "leave node2");
    }

    @Test
    void aBlockedEnterIsAConflictNamingTheBlocker() {
        assertError(api.send("POST", "/api/v1/nodes/node1/maintenance", null), 409, "conflict",
                "node node1 cannot enter maintenance, blocked by VM db (pinned to node1)");
    }
}
