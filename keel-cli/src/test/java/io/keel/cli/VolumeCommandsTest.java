package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VolumeCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void listPrintsATable() {
        api.on("GET", "/api/v1/volumes", 200, Fixtures.VOLUMES);

        Result r = run("volume", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME  SIZE       ALLOCATED  POLICY  HEALTH    WRITER
                db    10.0 GiB   1.5 GiB    triple  healthy   alpha
                logs  512.0 MiB  0 B        single  degraded  -
                """);
    }

    @Test
    void listWithoutVolumes() {
        api.on("GET", "/api/v1/volumes", 200, "[]");

        assertThat(run("volume", "list").out()).isEqualTo("(no volumes)\n");
    }

    @Test
    void listAsJsonIsTheApisAnswer() throws Exception {
        api.on("GET", "/api/v1/volumes", 200, Fixtures.VOLUMES);

        Result r = run("volume", "list", "-o", "json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out())).isEqualTo(JSON.readTree(Fixtures.VOLUMES));
    }

    @Test
    void showPrintsEveryField() {
        api.on("GET", "/api/v1/volumes/db", 200, Fixtures.VOLUME_DB);

        Result r = run("volume", "show", "db");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                name: db
                id: v0000000000000a1
                size: 10.0 GiB (10737418240 bytes)
                chunk size: 64.0 MiB
                policy: triple
                allocated: 1.5 GiB (1610612736 bytes)
                physical: 4.5 GiB (4831838208 bytes)
                overhead: 3.00x (3 replicas), 30.0 GiB raw when full
                health: healthy
                health reason: -
                chunks: 24 (0 degraded)
                writer: alpha (lease epoch 7)
                home node: alpha
                created: 2026-11-22T10:00:00Z
                """);
    }

    @Test
    void showOfADegradedVolumeSaysWhy() {
        api.on("GET", "/api/v1/volumes/logs", 200, Fixtures.VOLUME_LOGS);

        Result r = run("volume", "show", "logs");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("health: degraded\n")
                .contains("health reason: 3 of 8 chunks have fewer replicas than policy single asks for: node beta is down\n")
                .contains("chunks: 8 (3 degraded)\n")
                .contains("allocated: 0 B\n")
                .doesNotContain("overhead:") // a server from before ADR 0048 sends none
                .contains("writer: -\n")
                .contains("home node: -\n"); // also what a server from before volumes had homes gives
    }

    @Test
    void showOfAnUnknownVolumeIsTheApisError() {
        api.on("GET", "/api/v1/volumes/nope", 404, Fixtures.error("not_found", "no volume 'nope'"));

        Result r = run("volume", "show", "nope");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: no volume 'nope' (not_found, HTTP 404)\n");
    }

    @Test
    void volumeNamesAreEncodedInThePath() {
        api.on("GET", "/api/v1/volumes/a%20b", 200, Fixtures.VOLUME_DB);

        assertThat(run("volume", "show", "a b").exit()).isZero();
        assertThat(api.only().path()).isEqualTo("/api/v1/volumes/a%20b");
    }

    @Test
    void createSendsNameSizePolicyAndChunkSize() throws Exception {
        api.on("POST", "/api/v1/volumes", 201, Fixtures.VOLUME_DB);

        Result r = run("volume", "create", "db", "--size", "10G", "--policy", "triple", "--chunk-size", "64M");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree(
                "{\"name\":\"db\",\"size\":\"10G\",\"policy\":\"triple\",\"chunkSize\":\"64M\"}"));
        assertThat(r.out()).isEqualTo("Created volume db (v0000000000000a1): 10.0 GiB, policy triple, chunks of 64.0 MiB.\n");
    }

    @Test
    void createLeavesOutWhatIsNotGiven() throws Exception {
        api.on("POST", "/api/v1/volumes", 201, Fixtures.VOLUME_DB);

        assertThat(run("volume", "create", "db", "--size", "1073741824").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"db\",\"size\":\"1073741824\"}"));
    }

    @Test
    void aBadSizeIsAUsageErrorWithoutARequest() {
        Result r = run("volume", "create", "db", "--size", "12Q");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("size must be a number of bytes or end in K, M, G, T (powers of 1024): \"12Q\"")
                .contains("Run 'keel volume create --help'");
        assertThat(run("volume", "create", "db", "--size", "1G", "--chunk-size", "1.5M").exit()).isEqualTo(2);
        assertThat(run("volume", "extend", "db", "--size", "-5G").exit()).isEqualTo(2);
        assertThat(run("volume", "create", "db").err()).contains("--size");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void createRefusedByTheApiShowsWhy() {
        api.on("POST", "/api/v1/volumes", 409, Fixtures.error("conflict", "a volume named 'db' already exists"));

        Result r = run("volume", "create", "db", "--size", "1G");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: a volume named 'db' already exists (conflict, HTTP 409)\n");
    }

    @Test
    void extendSendsTheNewSize() throws Exception {
        api.on("POST", "/api/v1/volumes/db/extend", 200, Fixtures.VOLUME_DB);

        Result r = run("volume", "extend", "db", "--size", "10G");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"size\":\"10G\"}"));
        assertThat(r.out()).isEqualTo("Volume db is now 10.0 GiB.\n");
    }

    @Test
    void shrinkingIsRefusedByTheApi() {
        api.on("POST", "/api/v1/volumes/db/extend", 400, Fixtures.error("invalid",
                "volume 'db' is 10737418240 bytes and cannot shrink to 5368709120"));

        Result r = run("volume", "extend", "db", "--size", "5G");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: volume 'db' is 10737418240 bytes and cannot shrink");
    }

    @Test
    void breakLeaseTakesTheLeaseAndSaysWhatItMeans() {
        api.on("POST", "/api/v1/volumes/db/break-lease", 200, Fixtures.VOLUME_DB);

        Result r = run("volume", "break-lease", "db");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("lease of volume db is broken");
    }

    @Test
    void breakingALeaseNoOneHoldsIsAnError() {
        api.on("POST", "/api/v1/volumes/logs/break-lease", 409, Fixtures.error("conflict",
                "no one holds the write lease of volume logs"));

        Result r = run("volume", "break-lease", "logs");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no one holds the write lease");
    }

    @Test
    void setPolicySendsThePolicy() throws Exception {
        api.on("PUT", "/api/v1/volumes/db/policy", 200, Fixtures.VOLUME_DB);

        Result r = run("volume", "set-policy", "db", "triple");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"policy\":\"triple\"}"));
        assertThat(r.out()).isEqualTo("Volume db now uses storage policy triple; existing chunks move in the background.\n");
        assertThat(run("volume", "set-policy", "db").exit()).isEqualTo(2);
    }

    @Test
    void deleteWithYesDoesNotAsk() {
        api.on("DELETE", "/api/v1/volumes/db", 204, null);

        Result r = run("volume", "delete", "db", "--yes");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.only().method()).isEqualTo("DELETE");
        assertThat(r.out()).isEqualTo("Deleted volume db.\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void deleteAsksForTheName() {
        api.on("DELETE", "/api/v1/volumes/db", 204, null);
        stdin = "db\n";

        Result r = run("volume", "delete", "db");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("Delete volume db and all its data? Type its name to confirm: ");
        assertThat(r.out()).isEqualTo("Deleted volume db.\n");
        assertThat(api.only().method()).isEqualTo("DELETE");
    }

    @Test
    void deleteWithoutConfirmationDeletesNothing() {
        stdin = "logs\n";
        Result wrong = run("volume", "delete", "db");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).endsWith("error: volume db not deleted: the name typed did not match\n");

        stdin = "";
        Result none = run("volume", "delete", "db");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).endsWith("error: volume db not deleted: no confirmation was given"
                + " (add --yes to go ahead without asking)\n");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void deleteOfAnOpenVolumeIsAConflict() {
        api.on("DELETE", "/api/v1/volumes/db", 409, Fixtures.error("conflict", "volume 'db' is open for writing by alpha"));

        Result r = run("volume", "delete", "db", "--yes");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: volume 'db' is open for writing by alpha (conflict, HTTP 409)\n");
    }

    @Test
    void volumesNotServedYetSaySo() {
        api.on("GET", "/api/v1/volumes", 503, Fixtures.error("unavailable", "volumes are not served by this node yet"));

        Result r = run("volume", "list");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: volumes are not served by this node yet (unavailable, HTTP 503)\n");
    }

    @Test
    void volumeWithoutASubcommandIsAUsageError() {
        Result r = run("volume");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand").contains("create").contains("set-policy");
    }
}
