package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code keel cluster ha} and {@code keel node maintenance}. */
class HaCommandsTest extends CliTestBase {
    private static final String SETTINGS = """
            {"migrateBack":true,"relocation":"drs","shutdownTimeoutSeconds":60}""";

    private static String plan(String mode, String blockers, String remaining) {
        return """
                {"node":"n-1","nodeName":"node1","mode":"%s",
                 "moves":[{"vm":"v1","vmName":"web","action":"migrate","to":"n-2","toName":"node2"},
                          {"vm":"v3","vmName":"spare","action":"reassign","to":"n-3","toName":"node3"}],
                 "blockers":[%s],"remaining":[%s]}""".formatted(mode, blockers, remaining);
    }

    private static final String PINNED = """
            {"vm":"v2","vmName":"db","reason":"pinned to node1 and running: stop it first"}""";

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void showPrintsTheSettings() {
        api.on("GET", "/api/v1/cluster/ha", 200, SETTINGS);
        Result r = run("cluster", "ha", "show");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("relocation: drs\nmigrate back: yes\nshutdown timeout: 60 s\n");
    }

    @Test
    void setSendsOnlyWhatIsGiven() {
        api.on("PUT", "/api/v1/cluster/ha", 200, SETTINGS.replace("drs", "round-robin").replace("true", "false"));
        Result r = run("cluster", "ha", "set", "--migrate-back", "false", "--relocation", "Round-Robin");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.only().body()).contains("\"migrateBack\":false").contains("\"relocation\":\"round-robin\"")
                .doesNotContain("shutdownTimeoutSeconds\":6");
        assertThat(r.out()).contains("relocation: round-robin", "migrate back: no");
    }

    @Test
    void setRefusesABadFlagValueWithoutCallingTheApi() {
        Result r = run("cluster", "ha", "set", "--migrate-back", "maybe");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--migrate-back must be true or false, not 'maybe'");
        assertThat(run("cluster", "ha", "set").err()).contains("nothing to change");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void setShowsTheApisRefusal() {
        api.on("PUT", "/api/v1/cluster/ha", 400, """
                {"code":"invalid","message":"relocation mode 'fastest' is not known: use drs or round-robin","details":{}}""");
        Result r = run("cluster", "ha", "set", "--relocation", "fastest");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("relocation mode 'fastest' is not known: use drs or round-robin");
    }

    @Test
    void planListsEachVmAndWhereItGoes() {
        api.on("GET", "/api/v1/nodes/node1/maintenance/plan", 200, plan("active", PINNED, ""));
        Result r = run("node", "maintenance", "plan", "node1");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Maintenance plan for node node1 (now active):", "web    migrate   node2",
                "spare  reassign  node3", "Blocked by:", "VM db: pinned to node1 and running: stop it first");
    }

    @Test
    void enterShowsThePlanThenWaitsUntilTheVmsLeft() {
        AtomicInteger polls = new AtomicInteger();
        List<String> answers = List.of(plan("active", "", ""), plan("maintenance", "", "\"spare\",\"web\""),
                plan("maintenance", "", "\"web\""), plan("maintenance", "", ""));
        api.on("GET", "/api/v1/nodes/node1/maintenance/plan", r -> new FakeApi.Response(200,
                answers.get(Math.min(polls.getAndIncrement(), answers.size() - 1))));
        api.on("POST", "/api/v1/nodes/node1/maintenance", 200, plan("maintenance", "", "\"spare\",\"web\""));
        Result r = run("node", "maintenance", "enter", "node1");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("web    migrate   node2", "Node node1 is in maintenance: it takes no new VMs.",
                "still on node1: spare, web", "still on node1: web", "Node node1 is evacuated.");
    }

    @Test
    void enterWithABlockerShowsItAndChangesNothing() {
        api.on("GET", "/api/v1/nodes/node1/maintenance/plan", 200, plan("active", PINNED, ""));
        Result r = run("node", "maintenance", "enter", "node1");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("VM db: pinned to node1 and running: stop it first");
        assertThat(r.err()).contains("cannot enter maintenance").contains("nothing was changed");
        assertThat(api.requests()).extracting(FakeApi.Request::method).containsOnly("GET");
    }

    @Test
    void enterNoWaitAndLeave() {
        api.on("GET", "/api/v1/nodes/node1/maintenance/plan", 200, plan("active", "", ""));
        api.on("POST", "/api/v1/nodes/node1/maintenance", 200, plan("maintenance", "", "\"web\""));
        Result r = run("node", "maintenance", "enter", "node1", "--no-wait");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).doesNotContain("still on");
        api.on("DELETE", "/api/v1/nodes/node1/maintenance", 200, """
                {"node":"n-1","nodeName":"node1","mode":"active","moves":[],"blockers":[],"remaining":[]}""");
        Result left = run("node", "maintenance", "leave", "node1");
        assertThat(left.exit()).as(left.all()).isZero();
        assertThat(left.out()).isEqualTo("Node node1 is out of maintenance and takes VMs again.\n");
    }
}
