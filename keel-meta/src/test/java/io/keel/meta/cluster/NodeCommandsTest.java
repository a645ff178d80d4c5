package io.keel.meta.cluster;

import static io.keel.meta.cluster.Fixtures.T0;
import static io.keel.meta.cluster.Fixtures.TOKEN1;
import static io.keel.meta.cluster.Fixtures.TOKEN2;
import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.FORBIDDEN;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.RejectionCodes.NOT_INITIALISED;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.InitCluster;
import io.keel.meta.cluster.ClusterCommand.MoveNode;
import io.keel.meta.cluster.ClusterCommand.RegisterNode;
import io.keel.meta.cluster.ClusterCommand.RotateJoinToken;
import io.keel.meta.cluster.ClusterCommand.SetMaintenance;
import io.keel.meta.cluster.ClusterCommand.UpdateInventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NodeCommandsTest {

    private static NodeRecord with(NodeRecord n, String name, String address, int api, int raft) {
        return new NodeRecord(n.id(), name, address, api, raft, n.secretHash(), n.joinedAt(), n.inCluster(),
                n.maintenance(), n.rackId(), n.inventory(), n.diskRoles());
    }

    @Nested
    class Init {
        @Test
        void storesClusterSecretsTokenFirstNodeAndDefaultLocations() {
            Harness h = new Harness();
            assertThat(h.applied(Fixtures.init())).isEqualTo("c1");
            ClusterState s = h.state();
            assertThat(s.cluster()).contains(new ClusterInfo("c1", T0, "n1", null, null, false));
            assertThat(s.secrets()).contains(Fixtures.secrets());
            assertThat(s.joinToken()).contains(Fixtures.token(TOKEN1, 1));
            NodeRecord first = h.node("n1");
            assertThat(first.inCluster()).isFalse();
            assertThat(first.rackId()).isEqualTo("default-rack");
            assertThat(first.joinedAt()).isEqualTo(T0);
            assertThat(s.locations()).containsExactly(
                    new Location("default-rack", Location.Type.RACK, "Default rack", "default-row"),
                    new Location("default-room", Location.Type.ROOM, "Default room", null),
                    new Location("default-row", Location.Type.ROW, "Default row", "default-room"));
            assertThat(h.kv.snapshot()).containsOnlyKeys("cluster", "secrets", "jointoken", "node/n1",
                    "location/default-room", "location/default-row", "location/default-rack");
        }

        @Test
        void refusedOnceInitialised() {
            Harness h = Harness.withNodes(1);
            assertThat(h.rejected(new InitCluster("c2", T0, Fixtures.secrets(), Fixtures.token(TOKEN2, 1),
                    Fixtures.node(9)), CONFLICT)).contains("already initialised (id \"c1\")").contains("join token");
        }

        @Test
        void refusesBadInput() {
            Harness h = new Harness();
            var base = Fixtures.init();
            assertThat(h.rejected(new InitCluster("c/1", T0, base.secrets(), base.joinToken(), base.firstNode()),
                    INVALID)).contains("cluster id \"c/1\"");
            assertThat(h.rejected(new InitCluster("c1", null, base.secrets(), base.joinToken(), base.firstNode()),
                    INVALID)).isEqualTo("initialisation time is required");
            assertThat(h.rejected(new InitCluster("c1", T0, null, base.joinToken(), base.firstNode()), INVALID))
                    .isEqualTo("cluster secrets is required");
            assertThat(h.rejected(new InitCluster("c1", T0, base.secrets(), null, base.firstNode()), INVALID))
                    .isEqualTo("join token is required");
            h.rejected(new InitCluster("c1", T0, base.secrets(), Fixtures.token("", 1), base.firstNode()), INVALID);
            h.rejected(new InitCluster("c1", T0, new ClusterSecrets("", "k"), base.joinToken(), base.firstNode()),
                    INVALID);
            assertThat(h.rejected(new InitCluster("c1", T0, base.secrets(), base.joinToken(), null), INVALID))
                    .isEqualTo("first node is required");
            assertThat(h.rejected(new InitCluster("c1", Fixtures.EXPIRY, base.secrets(), base.joinToken(),
                    base.firstNode()), INVALID)).contains("expires at 2026-11-23T10:00:00Z");
            assertThat(h.rejected(new InitCluster("c1", T0, base.secrets(), base.joinToken(),
                    with(base.firstNode(), "bad name", "10.0.0.1", 8443, 9000)), INVALID))
                    .contains("node name \"bad name\" is not valid");
            assertThat(h.kv.snapshot()).isEmpty();
        }

        @Test
        void refusesMalformedNodeFields() {
            Harness h = new Harness();
            NodeRecord n = Fixtures.node(1);
            InitCluster base = Fixtures.init();
            List<NodeRecord> bad = List.of(with(n, "node1", " ", 8443, 9000), with(n, "node1", "h", 0, 9000),
                    with(n, "node1", "h", 8443, 70000), with(n, "node1", "h", 9000, 9000));
            for (NodeRecord node : bad) {
                h.rejected(new InitCluster("c1", T0, base.secrets(), base.joinToken(), node), INVALID);
            }
            NodeRecord badHash = new NodeRecord("n1", "node1", "h", 1, 2, "not-a-hash", T0, false, false,
                    "default-rack", n.inventory(), Map.of());
            assertThat(h.rejected(new InitCluster("c1", T0, base.secrets(), base.joinToken(), badHash), INVALID))
                    .contains("64 lower-case hex digits");
            NodeRecord twoSda = new NodeRecord("n1", "node1", "h", 1, 2, Fixtures.HASH, T0, false, false,
                    "default-rack", Fixtures.inventory(List.of(Fixtures.disk("sda", true), Fixtures.disk("sda", false))),
                    Map.of());
            assertThat(h.rejected(new InitCluster("c1", T0, base.secrets(), base.joinToken(), twoSda), INVALID))
                    .contains("disk id(s) \"sda\" more than once");
        }
    }

    @Nested
    class Register {
        @Test
        void admitsNodeForcingWhatTheClusterDecides() {
            Harness h = Harness.withNodes(1);
            NodeRecord asked = new NodeRecord("n2", "node2", "10.0.0.2", 8443, 9000, Fixtures.HASH,
                    T0.minusSeconds(999), true, true, "some-rack", Fixtures.inventory(), Map.of("d1", DiskRole.METADATA));
            assertThat(h.applied(new RegisterNode(TOKEN1, T0.plusSeconds(5), asked))).isEqualTo("n2");
            NodeRecord stored = h.node("n2");
            assertThat(stored.inCluster()).isFalse();
            assertThat(stored.maintenance()).isFalse();
            assertThat(stored.rackId()).isEqualTo("default-rack");
            assertThat(stored.diskRoles()).isEmpty();
            assertThat(stored.joinedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(stored.inventory()).isEqualTo(Fixtures.inventory());
            assertThat(h.state().nodes()).extracting(NodeRecord::name).containsExactly("node1", "node2");
        }

        @Test
        void needsACluster() {
            assertThat(new Harness().rejected(Fixtures.register(2), NOT_INITIALISED)).contains("not initialised");
        }

        @Test
        void refusesWrongMissingAndRotatedTokens() {
            Harness h = Harness.withNodes(1);
            NodeRecord n2 = Fixtures.node(2);
            assertThat(h.rejected(new RegisterNode("keel1.guess", T0, n2), FORBIDDEN))
                    .startsWith("join token is not valid (wrong, or rotated)");
            h.rejected(new RegisterNode(null, T0, n2), FORBIDDEN);
            h.applied(new RotateJoinToken(Fixtures.token(TOKEN2, 2)));
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, n2), FORBIDDEN)).contains("wrong, or rotated");
            h.applied(new RegisterNode(TOKEN2, T0, n2));
        }

        @Test
        void refusesExpiredTokenNamingExpiryAndFix() {
            Harness h = Harness.withNodes(1);
            assertThat(h.rejected(new RegisterNode(TOKEN1, Fixtures.EXPIRY, Fixtures.node(2)), FORBIDDEN))
                    .isEqualTo("join token expired at 2026-11-23T10:00:00Z; rotate it with 'keel node token rotate'"
                            + " and join with the new token");
        }

        /** An unauthenticated caller must not learn which names exist. */
        @Test
        void checksTokenBeforeNodeDetails() {
            Harness h = Harness.withNodes(1);
            h.rejected(new RegisterNode("wrong", T0, Fixtures.node(1)), FORBIDDEN);
        }

        @Test
        void refusesDuplicates() {
            Harness h = Harness.withNodes(2);
            NodeRecord n3 = Fixtures.node(3);
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, Fixtures.node(2)), CONFLICT))
                    .isEqualTo("node id \"n2\" is already registered, as node \"node2\"");
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, with(n3, "NODE2", "10.0.0.3", 8443, 9000)), CONFLICT))
                    .contains("node name \"NODE2\" is already taken by node \"node2\" (id \"n2\")");
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, with(n3, "n2", "10.0.0.3", 8443, 9000)), CONFLICT))
                    .contains("a node's name may not be another node's id");
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, with(n3, "node3", "10.0.0.2", 8443, 9001)), CONFLICT))
                    .contains("address \"10.0.0.2:8443\" (the API endpoint of node \"node3\") is already used by"
                            + " node \"node2\"");
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, with(n3, "node3", "10.0.0.2", 8444, 9000)), CONFLICT))
                    .contains("the Raft endpoint");
            h.rejected(new RegisterNode(TOKEN1, T0, with(n3, "node3", "10.0.0.2", 9000, 9001)), CONFLICT);
            h.applied(new RegisterNode(TOKEN1, T0, with(n3, "node3", "10.0.0.2", 8444, 9001)));
        }

        @Test
        void refusesInvalidName() {
            Harness h = Harness.withNodes(1);
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, with(Fixtures.node(2), "-x", "h", 1, 2)), INVALID))
                    .contains("node name \"-x\" is not valid");
            assertThat(h.rejected(new RegisterNode(TOKEN1, T0, null), INVALID)).isEqualTo("node is required");
            assertThat(h.rejected(new RegisterNode(TOKEN1, null, Fixtures.node(2)), INVALID))
                    .isEqualTo("registration time is required");
        }
    }

    @Nested
    class Rotate {
        @Test
        void replacesTokenWithNextGeneration() {
            Harness h = Harness.withNodes(1);
            assertThat(h.applied(new RotateJoinToken(Fixtures.token(TOKEN2, 2)))).isEqualTo("2");
            assertThat(h.state().joinToken()).contains(Fixtures.token(TOKEN2, 2));
        }

        @Test
        void refusesStaleOrSkippedGenerations() {
            Harness h = Harness.withNodes(1);
            h.applied(new RotateJoinToken(Fixtures.token(TOKEN2, 2)));
            assertThat(h.rejected(new RotateJoinToken(Fixtures.token("keel1.other-token-value", 2)), CONFLICT))
                    .contains("stale join token rotation: the current token is generation 2")
                    .contains("must carry generation 3, not 2").contains("retry");
            h.rejected(new RotateJoinToken(Fixtures.token("keel1.other-token-value", 4)), CONFLICT);
            h.rejected(new RotateJoinToken(Fixtures.token("keel1.other-token-value", 1)), CONFLICT);
        }

        @Test
        void refusesBadInput() {
            assertThat(new Harness().rejected(new RotateJoinToken(Fixtures.token(TOKEN2, 2)), NOT_INITIALISED)).isNotBlank();
            Harness h = Harness.withNodes(1);
            assertThat(h.rejected(new RotateJoinToken(null), INVALID)).isEqualTo("join token is required");
            assertThat(h.rejected(new RotateJoinToken(Fixtures.token("  ", 2)), INVALID)).contains("too short");
            h.rejected(new RotateJoinToken(Fixtures.token("keel1.short", 2)), INVALID);
            assertThat(h.rejected(new RotateJoinToken(new JoinToken(TOKEN2, 2, T0, T0)), INVALID))
                    .contains("positive lifetime");
        }
    }

    @Nested
    class Inventories {
        @Test
        void replacesInventoryKeepingRoles() {
            Harness h = Harness.withStorageCluster(2, 1);
            Inventory smaller = Fixtures.inventory(List.of(Fixtures.disk("sys", true), Fixtures.disk("d9", false)));
            assertThat(h.applied(new UpdateInventory("n1", smaller))).isEqualTo("n1");
            assertThat(h.node("n1").inventory()).isEqualTo(smaller);
            assertThat(h.node("n1").diskRoles()).containsOnlyKeys("d1", "d2");
        }

        @Test
        void refusesUnknownNodeAndBadInventory() {
            Harness h = Harness.withNodes(1);
            assertThat(h.rejected(new UpdateInventory("n9", Fixtures.inventory()), NOT_FOUND))
                    .isEqualTo("node \"n9\" does not exist");
            h.rejected(new UpdateInventory("n1", null), INVALID);
            h.rejected(new UpdateInventory(null, Fixtures.inventory()), INVALID);
            h.rejected(new UpdateInventory("n1", Fixtures.inventory(List.of(Fixtures.disk("a", false),
                    Fixtures.disk("a", false)))), INVALID);
            new Harness().rejected(new UpdateInventory("n1", Fixtures.inventory()), NOT_INITIALISED);
        }
    }

    @Nested
    class Move {
        @Test
        void movesNodeToRack() {
            Harness h = Harness.withNodes(1);
            h.applied(new ClusterCommand.CreateLocation("rack-b", Location.Type.RACK, "Rack B", "default-row"));
            assertThat(h.applied(new MoveNode("n1", "rack-b"))).isEqualTo("n1");
            assertThat(h.node("n1").rackId()).isEqualTo("rack-b");
            assertThat(h.state().nodesInRack("rack-b")).extracting(NodeRecord::id).containsExactly("n1");
        }

        @Test
        void refusesUnknownNodeUnknownRackAndNonRacks() {
            Harness h = Harness.withNodes(1);
            h.rejected(new MoveNode("n9", "default-rack"), NOT_FOUND);
            assertThat(h.rejected(new MoveNode("n1", "rack-z"), NOT_FOUND)).isEqualTo("location \"rack-z\" does not exist");
            assertThat(h.rejected(new MoveNode("n1", "default-row"), INVALID))
                    .isEqualTo("nodes are placed in racks, and row \"Default row\" (id \"default-row\") is not a rack:"
                            + " choose a rack in it");
            h.rejected(new MoveNode("n1", null), INVALID);
            new Harness().rejected(new MoveNode("n1", "default-rack"), NOT_INITIALISED);
        }
    }

    @Nested
    class Maintenance {
        @Test
        void setsAndClearsMaintenance() {
            Harness h = Harness.withStorageCluster(2, 2);
            assertThat(h.applied(new SetMaintenance("n2", true))).isEqualTo("n2");
            assertThat(h.node("n2").maintenance()).isTrue();
            h.applied(new SetMaintenance("n2", false));
            assertThat(h.node("n2").maintenance()).isFalse();
        }

        @Test
        void refusesUnknownNodeAndNodeOutsideStorageCluster() {
            Harness h = Harness.withStorageCluster(2, 1);
            h.rejected(new SetMaintenance("n9", true), NOT_FOUND);
            assertThat(h.rejected(new SetMaintenance("n2", true), INVALID))
                    .contains("node \"node2\" (id \"n2\") is not in the storage cluster");
            new Harness().rejected(new SetMaintenance("n1", true), NOT_INITIALISED);
        }
    }
}
