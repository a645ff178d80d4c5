package io.keel.meta.cluster;

import static io.keel.meta.cluster.Fixtures.T0;
import static io.keel.meta.cluster.RejectionCodes.CONFLICT;
import static io.keel.meta.cluster.RejectionCodes.INVALID;
import static io.keel.meta.cluster.RejectionCodes.NOT_FOUND;
import static io.keel.meta.cluster.RejectionCodes.NOT_INITIALISED;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.ClusterCommand.AssignDiskRole;
import io.keel.meta.cluster.ClusterCommand.CreateStorageCluster;
import io.keel.meta.cluster.ClusterCommand.JoinStorageCluster;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StorageCommandsTest {
    private static final DiskRole STORAGE = DiskRole.storage(1, true, false);
    private static final DiskRole CACHE = new DiskRole(DiskRole.Type.CACHE, 1, false, false);
    private static final DiskRole METADATA_CACHE = new DiskRole(DiskRole.Type.METADATA_CACHE, 1, false, false);
    private static final Map<String, Map<String, DiskRole>> N1_METADATA = Map.of("n1", Map.of("d1", DiskRole.METADATA));

    private static CreateStorageCluster create(List<String> nodes, Map<String, Map<String, DiskRole>> roles) {
        return new CreateStorageCluster("stor1", T0, false, nodes, roles);
    }

    @Nested
    class Create {
        @Test
        void createsStorageClusterAndMarksMembers() {
            Harness h = Harness.withNodes(3);
            var command = new CreateStorageCluster("stor1", T0.plusSeconds(7), true, List.of("n2", "n1"), Map.of(
                    "n1", Map.of("d1", DiskRole.METADATA, "d2", STORAGE, "d3", DiskRole.NONE, "sys", DiskRole.SYSTEM),
                    "n2", Map.of("ssd", METADATA_CACHE)));
            assertThat(h.applied(command)).isEqualTo("stor1");
            ClusterInfo info = h.state().cluster().orElseThrow();
            assertThat(info.storageClusterName()).isEqualTo("stor1");
            assertThat(info.storageClusterCreatedAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(info.encryption()).isTrue();
            assertThat(info.managementNodeId()).isEqualTo("n1");
            assertThat(h.node("n1").inCluster()).isTrue();
            assertThat(h.node("n1").diskRoles())
                    .isEqualTo(Map.of("d1", DiskRole.METADATA, "d2", STORAGE, "sys", DiskRole.SYSTEM));
            assertThat(h.node("n2").diskRoles()).isEqualTo(Map.of("ssd", METADATA_CACHE));
            assertThat(h.node("n3").inCluster()).isFalse();
            assertThat(h.state().metadataNodes()).extracting(NodeRecord::id).containsExactly("n1", "n2");
        }

        @Test
        void systemDiskMayBeStorageOrMetadata() {
            Harness h = Harness.withNodes(2);
            h.applied(create(List.of("n1", "n2"), Map.of("n1", Map.of("sys", DiskRole.METADATA),
                    "n2", Map.of("sys", STORAGE))));
        }

        @Test
        void refusesWhenNotInitialisedOrAlreadyCreated() {
            new Harness().rejected(create(List.of("n1"), N1_METADATA), NOT_INITIALISED);
            Harness h = Harness.withStorageCluster(2, 1);
            assertThat(h.rejected(new CreateStorageCluster("other", T0, false, List.of("n2"),
                    Map.of("n2", Map.of("d1", DiskRole.METADATA))), CONFLICT))
                    .startsWith("storage cluster \"stor1\" already exists");
        }

        @Test
        void refusesInvalidNames() {
            Harness h = Harness.withNodes(1);
            for (String name : Arrays.asList("my cluster", "clüster", "a_b", "", "-x", null)) {
                assertThat(h.rejected(new CreateStorageCluster(name, T0, false, List.of("n1"), N1_METADATA), INVALID))
                        .contains("1-63 Latin letters, digits and hyphens");
            }
        }

        @Test
        void refusesBadNodeLists() {
            Harness h = Harness.withNodes(2);
            assertThat(h.rejected(create(List.of(), N1_METADATA), INVALID)).contains("at least one node");
            h.rejected(create(null, N1_METADATA), INVALID);
            h.rejected(create(Arrays.asList("n1", null), N1_METADATA), INVALID);
            assertThat(h.rejected(create(List.of("n1", "n9", "n8"), N1_METADATA), NOT_FOUND))
                    .isEqualTo("node(s) \"n8\", \"n9\" do not exist");
            assertThat(h.rejected(create(List.of("n1", "n2", "n1"), N1_METADATA), INVALID))
                    .contains("\"n1\" are listed more than once");
            h.rejected(new CreateStorageCluster("stor1", null, false, List.of("n1"), N1_METADATA), INVALID);
        }

        @Test
        void refusesRolesOutsideMembersAndUnknownDisks() {
            Harness h = Harness.withNodes(2);
            assertThat(h.rejected(create(List.of("n1"), Map.of("n1", Map.of("d1", DiskRole.METADATA),
                    "n2", Map.of("d1", STORAGE))), INVALID)).contains("node(s) \"n2\", which are not among the nodes");
            assertThat(h.rejected(create(List.of("n1"), Map.of("n1", Map.of("d1", DiskRole.METADATA, "nvme0", STORAGE))),
                    INVALID)).contains("node \"node1\" (id \"n1\") has no disk \"nvme0\"");
            Map<String, DiskRole> nullRole = new HashMap<>();
            nullRole.put("d1", null);
            h.rejected(create(List.of("n1"), Map.of("n1", nullRole)), INVALID);
        }

        @Test
        void needsAMetadataDisk() {
            Harness h = Harness.withNodes(2);
            assertThat(h.rejected(create(List.of("n1", "n2"), Map.of("n1", Map.of("d1", STORAGE))), INVALID))
                    .startsWith("a storage cluster needs at least one metadata disk");
            h.rejected(create(List.of("n1"), null), INVALID);
        }

        @Test
        void refusesRoleRuleViolations() {
            Harness h = Harness.withNodes(6);
            assertThat(h.rejected(create(List.of("n1"), Map.of("n1", Map.of("d1", DiskRole.METADATA,
                    "ssd", METADATA_CACHE))), INVALID)).contains("would have 2 metadata disks (\"d1\", \"ssd\")");
            assertThat(h.rejected(create(List.of("n1"), Map.of("n1", Map.of("d1", DiskRole.SYSTEM))), INVALID))
                    .contains("disk \"d1\" of node \"node1\" (id \"n1\") is not the system disk");
            assertThat(h.rejected(create(List.of("n1"), Map.of("n1", Map.of("d1", DiskRole.METADATA, "sys", CACHE))),
                    INVALID)).contains("is the system disk, which cannot be a cache");
            h.rejected(create(List.of("n1"), Map.of("n1", Map.of("sys", METADATA_CACHE))), INVALID);
            Map<String, Map<String, DiskRole>> six = new HashMap<>();
            for (int i = 1; i <= 6; i++) {
                six.put("n" + i, Map.of("d1", DiskRole.METADATA));
            }
            assertThat(h.rejected(create(List.of("n1", "n2", "n3", "n4", "n5", "n6"), six), INVALID))
                    .startsWith("at most five metadata services per cluster, but this would give 6 nodes");
        }
    }

    @Nested
    class Join {
        @Test
        void addsNodeWithRoles() {
            Harness h = Harness.withStorageCluster(2, 1);
            assertThat(h.applied(new JoinStorageCluster("n2", Map.of("d1", DiskRole.METADATA, "ssd", CACHE))))
                    .isEqualTo("n2");
            assertThat(h.node("n2").inCluster()).isTrue();
            assertThat(h.node("n2").diskRoles()).isEqualTo(Map.of("d1", DiskRole.METADATA, "ssd", CACHE));
            assertThat(h.state().metadataNodes()).extracting(NodeRecord::id).containsExactly("n1", "n2");
        }

        @Test
        void joinsWithoutRoles() {
            Harness h = Harness.withStorageCluster(2, 1);
            h.applied(new JoinStorageCluster("n2", null));
            assertThat(h.node("n2").inCluster()).isTrue();
        }

        @Test
        void refusesWithoutStorageClusterUnknownOrMemberNode() {
            new Harness().rejected(new JoinStorageCluster("n2", Map.of()), NOT_INITIALISED);
            assertThat(Harness.withNodes(2).rejected(new JoinStorageCluster("n2", Map.of()), INVALID))
                    .contains("create the storage cluster first");
            Harness h = Harness.withStorageCluster(2, 1);
            h.rejected(new JoinStorageCluster("n9", Map.of()), NOT_FOUND);
            assertThat(h.rejected(new JoinStorageCluster("n1", Map.of()), CONFLICT))
                    .isEqualTo("node \"node1\" (id \"n1\") is already in storage cluster \"stor1\"");
            h.rejected(new JoinStorageCluster("n2", Map.of("zz", STORAGE)), INVALID);
            h.rejected(new JoinStorageCluster("n2", Map.of("d1", DiskRole.SYSTEM)), INVALID);
        }

        @Test
        void refusesSixthMetadataService() {
            Harness h = Harness.withStorageCluster(6, 1);
            for (int i = 2; i <= 5; i++) {
                h.applied(new JoinStorageCluster("n" + i, Map.of("d1", DiskRole.METADATA)));
            }
            assertThat(h.rejected(new JoinStorageCluster("n6", Map.of("ssd", METADATA_CACHE)), INVALID))
                    .contains("at most five metadata services per cluster");
            h.applied(new JoinStorageCluster("n6", Map.of("ssd", CACHE)));
        }
    }

    @Nested
    class Assign {
        @Test
        void assignsAndClearsRoles() {
            Harness h = Harness.withStorageCluster(1, 1);
            assertThat(h.applied(new AssignDiskRole("n1", "d3", STORAGE))).isEqualTo("n1");
            assertThat(h.node("n1").roleOf("d3")).isEqualTo(STORAGE);
            h.applied(new AssignDiskRole("n1", "d3", DiskRole.NONE));
            assertThat(h.node("n1").diskRoles()).doesNotContainKey("d3");
            assertThat(h.node("n1").roleOf("d3")).isEqualTo(DiskRole.NONE);
        }

        @Test
        void metadataMayMoveBetweenDisksOfANodeOnlyViaNone() {
            Harness h = Harness.withStorageCluster(1, 1);
            assertThat(h.rejected(new AssignDiskRole("n1", "d3", DiskRole.METADATA), INVALID))
                    .contains("at most one metadata service");
            h.applied(new AssignDiskRole("n1", "d1", METADATA_CACHE));
        }

        @Test
        void lastMetadataServiceCannotBeRemoved() {
            Harness h = Harness.withStorageCluster(2, 2);
            assertThat(h.rejected(new AssignDiskRole("n1", "d1", STORAGE), INVALID))
                    .startsWith("a storage cluster needs at least one metadata disk");
            h.applied(new AssignDiskRole("n2", "d1", DiskRole.METADATA));
            h.applied(new AssignDiskRole("n1", "d1", STORAGE));
            assertThat(h.state().metadataNodes()).extracting(NodeRecord::id).containsExactly("n2");
        }

        /** A disk gone from the inventory keeps its role until cleared, without blocking other disks. */
        @Test
        void staleRolesOnVanishedDisksCanBeClearedAndDoNotBlock() {
            Harness h = Harness.withStorageCluster(2, 2);
            h.applied(new AssignDiskRole("n2", "ssd", METADATA_CACHE));
            h.applied(new ClusterCommand.UpdateInventory("n2", Fixtures.inventory(List.of(Fixtures.disk("sys", true),
                    Fixtures.disk("d1", false)))));
            assertThat(h.node("n2").diskRoles()).containsOnlyKeys("ssd");
            h.applied(new AssignDiskRole("n2", "d1", STORAGE));
            assertThat(h.rejected(new AssignDiskRole("n2", "d1", DiskRole.METADATA), INVALID))
                    .contains("would have 2 metadata disks (\"d1\", \"ssd\")");
            h.rejected(new AssignDiskRole("n2", "ssd", STORAGE), NOT_FOUND);
            h.applied(new AssignDiskRole("n2", "ssd", DiskRole.NONE));
            assertThat(h.node("n2").diskRoles()).containsOnlyKeys("d1");
            h.rejected(new AssignDiskRole("n2", "ssd", DiskRole.NONE), NOT_FOUND);
        }

        @Test
        void refusesUnknownNodeDiskAndNonMembers() {
            new Harness().rejected(new AssignDiskRole("n1", "d1", STORAGE), NOT_INITIALISED);
            Harness h = Harness.withStorageCluster(2, 1);
            h.rejected(new AssignDiskRole("n9", "d1", STORAGE), NOT_FOUND);
            assertThat(h.rejected(new AssignDiskRole("n2", "d1", STORAGE), INVALID))
                    .contains("is not in the storage cluster");
            assertThat(h.rejected(new AssignDiskRole("n1", "nvme0", STORAGE), NOT_FOUND))
                    .isEqualTo("node \"node1\" (id \"n1\") has no disk \"nvme0\"");
            h.rejected(new AssignDiskRole("n1", "d3", null), INVALID);
            h.rejected(new AssignDiskRole("n1", null, STORAGE), INVALID);
            h.rejected(new AssignDiskRole("n1", "d3", DiskRole.SYSTEM), INVALID);
            h.rejected(new AssignDiskRole("n1", "sys", CACHE), INVALID);
            h.applied(new AssignDiskRole("n1", "sys", DiskRole.SYSTEM));
        }

        @Test
        void refusesSixthMetadataService() {
            Harness h = Harness.withStorageCluster(6, 6);
            for (int i = 2; i <= 5; i++) {
                h.applied(new AssignDiskRole("n" + i, "ssd", METADATA_CACHE));
            }
            h.rejected(new AssignDiskRole("n6", "d1", DiskRole.METADATA), INVALID);
            h.applied(new AssignDiskRole("n5", "ssd", CACHE));
            h.applied(new AssignDiskRole("n6", "d1", DiskRole.METADATA));
        }
    }
}
