package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void createSendsTheName() throws Exception {
        api.on("POST", "/api/v1/volumes/db/snapshots", 201, Fixtures.SNAPSHOT_MONDAY);

        Result r = run("snapshot", "create", "db", "monday");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"monday\"}"));
        assertThat(r.out()).isEqualTo("Created snapshot monday (s0000000000000c3) of volume db: 10.0 GiB, 24 chunks.\n");
    }

    @Test
    void listPrintsATableAndJsonIsTheApisAnswer() throws Exception {
        api.on("GET", "/api/v1/volumes/db/snapshots", 200, Fixtures.SNAPSHOTS);

        Result r = run("snapshot", "list", "db");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME     ID                SIZE      CHUNKS  CREATED
                monday   s0000000000000c3  10.0 GiB  24      2026-11-23T10:00:00Z
                tuesday  s0000000000000c4  10.0 GiB  30      2026-11-24T10:00:00Z
                """);
        Result json = run("snapshot", "list", "db", "-o", "json");
        assertThat(JSON.readTree(json.out())).isEqualTo(JSON.readTree(Fixtures.SNAPSHOTS));
    }

    @Test
    void listWithoutSnapshots() {
        api.on("GET", "/api/v1/volumes/db/snapshots", 200, "[]");

        assertThat(run("snapshot", "list", "db").out()).isEqualTo("(no snapshots)\n");
    }

    @Test
    void showPrintsEveryField() {
        api.on("GET", "/api/v1/volumes/db/snapshots/monday", 200, Fixtures.SNAPSHOT_MONDAY);

        Result r = run("snapshot", "show", "db", "monday");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name: monday
                id: s0000000000000c3
                volume: db
                size: 10.0 GiB (10737418240 bytes)
                chunks: 24
                created: 2026-11-23T10:00:00Z
                """);
    }

    @Test
    void anUnknownSnapshotIsTheApisError() {
        api.on("GET", "/api/v1/volumes/db/snapshots/nope", 404, Fixtures.error("not_found",
                "volume db has no snapshot 'nope'"));

        Result r = run("snapshot", "show", "db", "nope");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: volume db has no snapshot 'nope' (not_found, HTTP 404)\n");
    }

    @Test
    void deleteAsksForTheSnapshotsNameUnlessYes() {
        api.on("DELETE", "/api/v1/volumes/db/snapshots/monday", 204, null);

        Result yes = run("snapshot", "delete", "db", "monday", "--yes");
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(yes.out()).isEqualTo("Deleted snapshot monday of volume db.\n");

        stdin = "monday\n";
        Result asked = run("snapshot", "delete", "db", "monday");
        assertThat(asked.exit()).as(asked.err()).isZero();
        assertThat(asked.err()).isEqualTo("Delete snapshot monday of volume db? Type its name to confirm: ");

        stdin = "db\n";
        Result wrong = run("snapshot", "delete", "db", "monday");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).endsWith("error: snapshot monday not deleted: the name typed did not match\n");
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void revertConfirmsWithTheVolumesName() {
        api.on("POST", "/api/v1/volumes/db/snapshots/monday/revert", 200, Fixtures.VOLUME_DB);

        stdin = "";
        Result none = run("snapshot", "revert", "db", "monday");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).endsWith("error: volume db not reverted: no confirmation was given"
                + " (add --yes to go ahead without asking)\n");
        assertThat(api.requests()).isEmpty();

        stdin = "db\n";
        Result r = run("snapshot", "revert", "db", "monday");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("Revert volume db to snapshot monday, losing everything written since?");
        assertThat(r.out()).isEqualTo("Volume db is back at snapshot monday (10.0 GiB).\n");
        assertThat(api.only().body()).isEmpty();
    }

    @Test
    void revertOfAnOpenVolumeIsAConflict() {
        api.on("POST", "/api/v1/volumes/db/snapshots/monday/revert", 409, Fixtures.error("conflict",
                "volume db is open for writing by alpha"));

        Result r = run("snapshot", "revert", "db", "monday", "--yes");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: volume db is open for writing by alpha (conflict, HTTP 409)\n");
    }

    @Test
    void diffPassesFromAndToAndPrintsRangesAndTheTotal() {
        api.on("GET", "/api/v1/volumes/db/changed-extents", 200, Fixtures.CHANGED);

        Result r = run("snapshot", "diff", "db", "--from", "monday");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.only().query()).isEqualTo("from=monday");
        assertThat(r.out()).isEqualTo("""
                OFFSET     LENGTH
                0          134217728
                671088640  67108864
                changed: 192.0 MiB (201326592 bytes) in 2 ranges, from monday to db.
                """);
        run("snapshot", "diff", "db", "--from", "a b", "--to", "tuesday");
        assertThat(api.requests().getLast().query()).isEqualTo("from=a%20b&to=tuesday");
        run("snapshot", "diff", "db");
        assertThat(api.requests().getLast().query()).isNull();
    }

    @Test
    void diffAsJsonIsTheApisAnswer() throws Exception {
        api.on("GET", "/api/v1/volumes/db/changed-extents", 200, Fixtures.CHANGED);

        Result r = run("snapshot", "diff", "db", "-o", "json");

        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(Fixtures.CHANGED));
    }

    @Test
    void cloneSendsTheNameAndOptionalPolicy() throws Exception {
        api.on("POST", "/api/v1/volumes/db/snapshots/monday/clone", 201, Fixtures.VOLUME_LOGS);

        Result r = run("volume", "clone", "db", "monday", "logs", "--policy", "single");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree(
                "{\"name\":\"logs\",\"policy\":\"single\"}"));
        assertThat(r.out()).isEqualTo("Created volume logs (v0000000000000b2) from snapshot monday of volume db:"
                + " 512.0 MiB, policy single.\n");
        run("volume", "clone", "db", "monday", "logs");
        assertThat(JSON.readTree(api.requests().getLast().body())).isEqualTo(JSON.readTree("{\"name\":\"logs\"}"));
        assertThat(run("volume", "clone", "db", "monday").exit()).isEqualTo(2);
    }

    @Test
    void missingArgumentsAreUsageErrorsWithoutARequest() {
        assertThat(run("snapshot", "create", "db").exit()).isEqualTo(2);
        assertThat(run("snapshot", "show", "db").exit()).isEqualTo(2);
        assertThat(run("snapshot", "delete", "db").exit()).isEqualTo(2);
        Result r = run("snapshot");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand").contains("revert").contains("diff");
        assertThat(api.requests()).isEmpty();
    }
}
