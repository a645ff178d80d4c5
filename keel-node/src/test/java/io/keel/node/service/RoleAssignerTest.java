package io.keel.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.api.ApiException;
import io.keel.api.dto.DiskRoleRequest;
import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.DiskRole;
import io.keel.meta.cluster.Inventory;
import io.keel.meta.cluster.Location;
import io.keel.meta.cluster.NodeRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleAssignerTest {
    private static NodeRecord node(Disk... disks) {
        return new NodeRecord("n1", "node1", "127.0.0.1", 8888, 9880, "h", Instant.EPOCH, false, false,
                Location.DEFAULT_RACK, new Inventory("h", "linux", "cpu", 2, 1L << 30, List.of(), List.of(disks), null), Map.of());
    }

    private static Disk block(String id, boolean system) {
        return new Disk(id, "block", "/dev/" + id, 1L << 40, false, "m", "s", system);
    }

    private static Disk dir(String id) {
        return new Disk(id, "directory", "/tmp/" + id, 1L << 30, false, "directory", null, false);
    }

    @Test
    void directoryDisksAreUsedAndRealDisksLeftAloneInAnEmbeddedCluster() {
        Map<String, DiskRole> roles = RoleAssigner.assign(node(block("vda", true), block("vdb", false), dir("d1"), dir("d0")), 0);
        assertThat(roles).containsEntry("vda", DiskRole.SYSTEM)
                .containsEntry("d0", DiskRole.METADATA)
                .containsEntry("d1", DiskRole.storage(0, true, false))
                .doesNotContainKey("vdb");
    }

    @Test
    void realServerGetsMetadataOnItsFirstDataDiskAndStorageOnTheRest() {
        Map<String, DiskRole> roles = RoleAssigner.assign(node(block("sda", true), block("sdb", false), block("sdc", false)), 2);
        assertThat(roles).containsEntry("sda", DiskRole.SYSTEM)
                .containsEntry("sdb", DiskRole.METADATA)
                .containsEntry("sdc", DiskRole.storage(0, true, false));
    }

    @Test
    void noFourthMetadataServiceByDefault() {
        Map<String, DiskRole> roles = RoleAssigner.assign(node(dir("d0"), dir("d1")), 3);
        assertThat(roles.values()).noneMatch(DiskRole::isMetadata);
        assertThat(roles).containsEntry("d0", DiskRole.storage(0, true, false));
    }

    @Test
    void roleNamesParseWithDefaultsAndBadOnesAreRefused() {
        assertThat(Roles.parse(new DiskRoleRequest("d", "storage", null, null, null)))
                .isEqualTo(DiskRole.storage(0, true, false));
        assertThat(Roles.parse(new DiskRoleRequest("d", "metadata+cache", 2, null, null)).type())
                .isEqualTo(DiskRole.Type.METADATA_CACHE);
        assertThat(Roles.parse(new DiskRoleRequest("d", "none", null, null, null))).isEqualTo(DiskRole.NONE);
        assertThat(Roles.parse(new DiskRoleRequest("d", "metadata", null, null, null))).isEqualTo(DiskRole.METADATA);
        assertThatThrownBy(() -> Roles.parse(new DiskRoleRequest("d", "storage", 7, null, null)))
                .isInstanceOf(ApiException.class).hasMessageContaining("tier from 0 to 3");
        assertThatThrownBy(() -> Roles.parse(new DiskRoleRequest("d", "scratch", null, null, null)))
                .isInstanceOf(ApiException.class).hasMessageContaining("unknown role 'scratch'");
        assertThatThrownBy(() -> Roles.parse(new DiskRoleRequest("d", "metadata", 1, null, null)))
                .isInstanceOf(ApiException.class).hasMessageContaining("takes no tier");
    }
}
