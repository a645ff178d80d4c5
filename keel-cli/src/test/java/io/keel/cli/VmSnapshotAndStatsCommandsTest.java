package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VmSnapshotAndStatsCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = """
            {"id": "n00000000000000a", "name": "before", "vm": "web", "createdAt": "2026-12-02T20:00:00Z",
             "withMemory": false, "pausedMillis": 6, "stateVolume": null, "stateBytes": 0, "disks": [
              {"volume": "boot1", "volumeId": "v1", "snapshot": "before", "snapshotId": "n00000000000000a-1"},
              {"volume": "web-disk1", "volumeId": "v2", "snapshot": "before", "snapshotId": "n00000000000000a-2"}]}
            """;
    private static final String VM = """
            {"id": "m1", "name": "web", "status": "ACTIVE", "statusReason": "", "power": "running", "node": "n2",
             "nodeName": "node2", "flavor": "tiny", "vcpus": 1, "ramMiB": 512, "placement": "auto", "image": null,
             "disks": [], "createdAt": "2026-12-02T20:00:00Z", "statusAt": "2026-12-02T20:01:00Z"}
            """;

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void createSendsTheNameAndSaysHowLongTheGuestPaused() throws Exception {
        api.on("POST", "/api/v1/vms/web/snapshots", 201, SNAPSHOT);

        Result r = run("vm", "snapshot", "create", "web", "before");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"before\"}"));
        assertThat(r.out()).isEqualTo("Created snapshot before (n00000000000000a) of VM web: 2 disks, guest paused 6 ms.\n");
    }

    @Test
    void aMemorySnapshotIsAskedForAndItsStateShown() throws Exception {
        api.on("POST", "/api/v1/vms/web/snapshots", 201, SNAPSHOT.replace("\"withMemory\": false",
                "\"withMemory\": true").replace("\"stateBytes\": 0", "\"stateBytes\": 96276901"));

        Result r = run("vm", "snapshot", "create", "web", "m", "--memory");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body()).path("memory").asBoolean()).isTrue();
        assertThat(r.out()).isEqualTo("Created snapshot before (n00000000000000a) of VM web: 2 disks and 96276901 bytes"
                + " of memory, guest paused 6 ms.\n");
    }

    @Test
    void aMemorySnapshotOfAStoppedVmIsRefusedWithTheReason() {
        api.on("POST", "/api/v1/vms/web/snapshots", 409, Fixtures.error("conflict",
                "VM web is shutoff: a stopped VM has no memory to save"));

        Result r = run("vm", "snapshot", "create", "web", "m", "--memory");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("a stopped VM has no memory to save");
    }

    @Test
    void listPrintsATable() {
        api.on("GET", "/api/v1/vms/web/snapshots", 200, "[" + SNAPSHOT + "]");

        Result r = run("vm", "snapshot", "list", "web");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME    ID                DISKS  MEMORY  PAUSED  CREATED
                before  n00000000000000a  2      no      6 ms    2026-12-02T20:00:00Z
                """);
    }

    @Test
    void revertWithStartReportsTheVm() throws Exception {
        api.on("POST", "/api/v1/vms/web/snapshots/before/revert", 200, VM);

        Result r = run("vm", "snapshot", "revert", "web", "before", "--start", "--yes");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"start\":true,\"waitSeconds\":120}"));
        assertThat(r.out()).isEqualTo("Reverted and started VM web: ACTIVE on node2.\n");
    }

    @Test
    void deleteWithYes() {
        api.on("DELETE", "/api/v1/vms/web/snapshots/before", 204, "");

        Result r = run("vm", "snapshot", "delete", "web", "before", "--yes");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deleted snapshot before of VM web.\n");
    }

    @Test
    void statsPrintsCountersAndNoInventedNetwork() {
        api.on("GET", "/api/v1/vms/web/stats", 200, """
                {"vm": "web", "vmId": "m1", "node": "n2", "nodeName": "node2", "running": true,
                 "collectedAt": "2026-12-02T20:01:00Z", "cpuSeconds": 10.675, "memoryRssBytes": 209715200,
                 "memoryConfiguredBytes": 536870912, "disks": [
                  {"disk": "disk0", "volume": "boot1", "readBytes": 4096, "writeBytes": 0, "readOps": 1, "writeOps": 0},
                  {"disk": "disk1", "volume": "web-disk1", "readBytes": 0, "writeBytes": 4194304, "readOps": 0,
                   "writeOps": 3}], "nics": []}
                """);

        Result r = run("vm", "stats", "web");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("vm: web on node2 (collected 2026-12-02T20:01:00Z)\ncpu: 10.68 s\n")
                .contains("disk1  web-disk1").contains("network: no interfaces");
    }
}
