package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VmMigrateCommandTest extends CliTestBase {
    private static String vm(String node, String phase, int progress, long sent, String extra) {
        return """
                {"id":"m1","name":"web","status":"%s","statusReason":"","power":"running","node":"n","nodeName":"%s",
                 "ramMiB":128,"migration":{"id":"g1","source":"n2","sourceName":"node2","target":"n3",
                 "targetName":"node3","phase":"%s","progress":%d,"ramTotalBytes":134217728,
                 "ramTransferredBytes":%d,"ramRemainingBytes":0,"cancelRequested":false,
                 "startedAt":"2026-11-22T12:00:00Z",%s"reason":""}}
                """.formatted("completed".equals(phase) ? "ACTIVE" : "MIGRATING", node, phase, progress, sent, extra);
    }

    @Test
    void migratePrintsProgressThenTotalTimeAndDowntime() throws Exception {
        loggedIn();
        api.on("POST", "/api/v1/vms/web/migrate", 200, vm("node2", "preparing", 0, 0, ""));
        AtomicInteger polls = new AtomicInteger();
        List<String> answers = List.of(vm("node2", "transferring", 50, 64L << 20, ""),
                vm("node3", "switching", 100, 128L << 20, ""),
                vm("node3", "completed", 100, 128L << 20, "\"totalMs\":1500,\"downtimeMs\":12,\"pauseMs\":80,"));
        api.on("GET", "/api/v1/vms/web", r -> new FakeApi.Response(200,
                answers.get(Math.min(polls.getAndIncrement(), answers.size() - 1))));

        Result r = run("vm", "migrate", "web", "--to", "node3");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(api.requests().getFirst().body()).contains("\"node\":\"node3\"").contains("\"waitSeconds\":0");
        assertThat(r.out()).contains("Migrating VM web to node3: preparing, 0% of its RAM sent")
                .contains("transferring, 50% of its RAM sent (64.0 MiB of 128.0 MiB)")
                .contains("Migrated VM web from node2 to node3 in 1500 ms; downtime 12 ms (QEMU), guest paused 80 ms.");
    }

    @Test
    void aFailedMigrationSaysWhyAndFails() throws Exception {
        loggedIn();
        api.on("POST", "/api/v1/vms/web/migrate", 200, vm("node2", "failed", 10, 0, "")
                .replace("\"reason\":\"\"", "\"reason\":\"the target node did not get ready within 60 s\""));
        Result r = run("vm", "migrate", "web", "--to", "node3");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("Migration of VM web to node3 failed: the target node did not get ready");
    }

    @Test
    void cancelAsksTheApiAndNeedsNoTarget() throws Exception {
        loggedIn();
        api.on("POST", "/api/v1/vms/web/migrate/cancel", 200, vm("node2", "cancelled", 30, 0, ""));
        Result r = run("vm", "migrate", "web", "--cancel");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Migration of VM web to node3 cancelled. It runs on node2");
        assertThat(run("vm", "migrate", "web").exit()).isNotZero();
    }
}
