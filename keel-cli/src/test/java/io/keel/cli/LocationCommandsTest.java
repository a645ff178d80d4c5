package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocationCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void session() throws Exception {
        loggedIn();
    }

    @Test
    void listPrintsATree() {
        api.on("GET", "/api/v1/locations", 200, Fixtures.LOCATIONS);

        Result r = run("location", "list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                room Hall A (r1)
                  row Row 1 (w1)
                    rack Rack 7 (k1)
                      node n-1
                      node n-2
                    rack Rack 8 (k2)
                room Hall B (r2)
                """);
    }

    @Test
    void listWithoutLocations() {
        api.on("GET", "/api/v1/locations", 200, "[]");

        assertThat(run("location", "list").out()).isEqualTo("(no locations)\n");
    }

    @Test
    void createSendsTypeNameAndParent() throws Exception {
        api.on("POST", "/api/v1/locations", 201,
                "{\"id\":\"k9\",\"type\":\"rack\",\"name\":\"Rack 9\",\"parentId\":\"w1\",\"nodeIds\":[]}");

        Result r = run("location", "create", "rack", "Rack 9", "--parent", "w1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body()))
                .isEqualTo(JSON.readTree("{\"type\":\"rack\",\"name\":\"Rack 9\",\"parent\":\"w1\"}"));
        assertThat(r.out()).isEqualTo("Created rack Rack 9 (k9) in w1.\n");
    }

    @Test
    void createRoom() throws Exception {
        api.on("POST", "/api/v1/locations", 201, "{\"id\":\"r3\",\"type\":\"room\",\"name\":\"Hall C\"}");

        assertThat(run("location", "create", "room", "Hall C").exit()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"type\":\"room\",\"name\":\"Hall C\"}"));
    }

    @Test
    void createChecksTheTypeAndParent() {
        assertThat(run("location", "create", "row", "Row 2").err()).contains("a row needs --parent ID (the room");
        assertThat(run("location", "create", "room", "Hall", "--parent", "x").exit()).isEqualTo(2);
        assertThat(run("location", "create", "shelf", "S").err()).contains("unknown location type 'shelf'");
        assertThat(run("location", "create", "rack").exit()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void renameSendsAPatch() throws Exception {
        api.on("PATCH", "/api/v1/locations/k1", 200,
                "{\"id\":\"k1\",\"type\":\"rack\",\"name\":\"Rack Seven\",\"parentId\":\"w1\"}");

        Result r = run("location", "rename", "k1", "Rack Seven");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"name\":\"Rack Seven\"}"));
        assertThat(r.out()).isEqualTo("Renamed rack k1 to Rack Seven.\n");
    }

    @Test
    void deleteSendsADelete() {
        api.on("DELETE", "/api/v1/locations/k2", 204, null);

        Result r = run("location", "delete", "k2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(api.only().method()).isEqualTo("DELETE");
        assertThat(r.out()).isEqualTo("Deleted location k2.\n");
    }

    @Test
    void deleteOfANonEmptyLocationIsAConflict() {
        api.on("DELETE", "/api/v1/locations/k1", 409, Fixtures.error("conflict", "rack Rack 7 still holds 2 nodes"));

        Result r = run("location", "delete", "k1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: rack Rack 7 still holds 2 nodes (conflict, HTTP 409)\n");
    }

    @Test
    void moveSendsTheRack() throws Exception {
        api.on("PUT", "/api/v1/nodes/alpha/location", 200, Fixtures.NODE_ALPHA);

        Result r = run("location", "move", "alpha", "--rack", "k1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(JSON.readTree(api.only().body())).isEqualTo(JSON.readTree("{\"rack\":\"k1\"}"));
        assertThat(r.out()).isEqualTo("Moved node alpha (n-1) to Hall A / Row 1 / Rack 7.\n");
    }

    @Test
    void moveNeedsARack() {
        assertThat(run("location", "move", "alpha").exit()).isEqualTo(2);
    }
}
