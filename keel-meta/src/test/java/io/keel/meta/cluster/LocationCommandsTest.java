package io.keel.meta.cluster;

import static io.keel.meta.cluster.Location.Type.RACK;
import static io.keel.meta.cluster.Location.Type.ROOM;
import static io.keel.meta.cluster.Location.Type.ROW;
import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.RejectionCodes.NOT_INITIALISED;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.CreateLocation;
import io.keel.meta.cluster.ClusterCommand.DeleteLocation;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RenameLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocationCommandsTest {
    private Harness h;

    /** Room "r1" with row "w1" with rack "k1", next to the defaults. */
    @BeforeEach
    void tree() {
        h = Harness.withNodes(2);
        h.applied(new CreateLocation("r1", ROOM, "Room 1", null));
        h.applied(new CreateLocation("w1", ROW, "Row A", "r1"));
        h.applied(new CreateLocation("k1", RACK, "Rack 1", "w1"));
    }

    @Test
    void createsRoomsRowsAndRacks() {
        assertThat(h.applied(new CreateLocation("k2", RACK, "Rack 2", "w1"))).isEqualTo("k2");
        assertThat(h.state().location("k2")).contains(new Location("k2", RACK, "Rack 2", "w1"));
        assertThat(h.state().children("w1")).extracting(Location::id).containsExactly("k1", "k2");
        assertThat(h.state().children(null)).extracting(Location::id).containsExactly("default-room", "r1");
        // Sibling uniqueness only: "Rack 1" may exist in another row.
        h.applied(new CreateLocation("k3", RACK, "Rack 1", "default-row"));
    }

    @Test
    void refusesNeedingACluster() {
        new Harness().rejected(new CreateLocation("r1", ROOM, "Room 1", null), NOT_INITIALISED);
        new Harness().rejected(new RenameLocation("r1", "x"), NOT_INITIALISED);
        new Harness().rejected(new DeleteLocation("r1"), NOT_INITIALISED);
    }

    @Test
    void refusesDuplicateIdsAndSiblingNames() {
        assertThat(h.rejected(new CreateLocation("k1", RACK, "Other", "w1"), CONFLICT))
                .isEqualTo("location id \"k1\" is already taken by rack \"Rack 1\" (id \"k1\")");
        assertThat(h.rejected(new CreateLocation("k2", RACK, "Rack 1", "w1"), CONFLICT))
                .isEqualTo("Row \"Row A\" (id \"w1\") already has a rack named \"Rack 1\" (id \"k1\"):"
                        + " choose another name");
        assertThat(h.rejected(new CreateLocation("r2", ROOM, "Room 1", null), CONFLICT))
                .isEqualTo("there is already a room named \"Room 1\" (id \"r1\"): choose another name");
    }

    @Test
    void refusesInvalidNamesIdsAndTypes() {
        for (String name : new String[] {"", "  ", "a/b", "tab\t", "x".repeat(65), null}) {
            h.rejected(new CreateLocation("k9", RACK, name, "w1"), INVALID);
        }
        assertThat(h.rejected(new CreateLocation("k9", RACK, "a/b", "w1"), INVALID)).contains("must not contain '/'");
        h.rejected(new CreateLocation("k/9", RACK, "Rack 9", "w1"), INVALID);
        h.rejected(new CreateLocation(null, RACK, "Rack 9", "w1"), INVALID);
        assertThat(h.rejected(new CreateLocation("k9", null, "Rack 9", "w1"), INVALID))
                .isEqualTo("location type (room, row or rack) is required");
    }

    @Test
    void refusesWrongParents() {
        assertThat(h.rejected(new CreateLocation("r2", ROOM, "Room 2", "r1"), INVALID))
                .contains("a room is not inside another location");
        assertThat(h.rejected(new CreateLocation("w2", ROW, "Row B", null), INVALID))
                .isEqualTo("a row must be inside a room: give its parent");
        assertThat(h.rejected(new CreateLocation("w2", ROW, "Row B", "k1"), INVALID))
                .isEqualTo("a row must be inside a room, but rack \"Rack 1\" (id \"k1\") is a rack");
        assertThat(h.rejected(new CreateLocation("k2", RACK, "Rack 2", "r1"), INVALID))
                .contains("a rack must be inside a row");
        assertThat(h.rejected(new CreateLocation("k2", RACK, "Rack 2", "nowhere"), NOT_FOUND))
                .isEqualTo("parent location \"nowhere\" of the new rack does not exist");
    }

    @Test
    void renames() {
        assertThat(h.applied(new RenameLocation("k1", "Rack One"))).isEqualTo("k1");
        assertThat(h.state().location("k1").orElseThrow().name()).isEqualTo("Rack One");
        h.applied(new RenameLocation("k1", "Rack One"));
        h.applied(new RenameLocation("default-rack", "Rack 0"));
    }

    @Test
    void refusesBadRenames() {
        h.applied(new CreateLocation("k2", RACK, "Rack 2", "w1"));
        h.rejected(new RenameLocation("k9", "x"), NOT_FOUND);
        assertThat(h.rejected(new RenameLocation("k2", "Rack 1"), CONFLICT)).contains("Row \"Row A\" (id \"w1\") already has a rack named \"Rack 1\"");
        h.rejected(new RenameLocation("k2", "a/b"), INVALID);
        h.rejected(new RenameLocation(null, "x"), INVALID);
    }

    @Test
    void deletesEmptyLocations() {
        assertThat(h.applied(new DeleteLocation("k1"))).isEqualTo("k1");
        h.applied(new DeleteLocation("w1"));
        h.applied(new DeleteLocation("r1"));
        assertThat(h.state().locations()).extracting(Location::id)
                .containsExactly("default-rack", "default-room", "default-row");
    }

    @Test
    void refusesDeletingDefaultsMissingAndNonEmptyLocations() {
        for (String id : new String[] {"default-room", "default-row", "default-rack"}) {
            assertThat(h.rejected(new DeleteLocation(id), INVALID)).contains("cannot be deleted");
        }
        h.rejected(new DeleteLocation("k9"), NOT_FOUND);
        h.rejected(new DeleteLocation(null), INVALID);
        assertThat(h.rejected(new DeleteLocation("r1"), CONFLICT))
                .isEqualTo("Room \"Room 1\" (id \"r1\") still contains row \"Row A\" (id \"w1\"): delete those first");
        h.applied(new MoveNode("n1", "k1"));
        h.applied(new MoveNode("n2", "k1"));
        assertThat(h.rejected(new DeleteLocation("k1"), CONFLICT))
                .isEqualTo("Rack \"Rack 1\" (id \"k1\") still holds node(s) \"node1\" (id \"n1\"), \"node2\" (id \"n2\"):"
                        + " move them to another rack first");
    }
}
