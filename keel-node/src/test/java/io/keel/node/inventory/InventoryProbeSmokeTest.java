package io.keel.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.Inventory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Probes the machine running the build; asserts only what every Linux host has. */
@EnabledOnOs(OS.LINUX)
class InventoryProbeSmokeTest {
    @Test
    void probesThisMachine() {
        Inventory inventory = new InventoryProbe(Path.of("/proc"), Path.of("/sys"), List.of()).probe();

        assertThat(inventory.hostname()).isNotBlank();
        assertThat(inventory.os()).isNotBlank();
        assertThat(inventory.memoryBytes()).isPositive();
        assertThat(inventory.cpuCores()).isGreaterThanOrEqualTo(1);
        assertThat(inventory.interfaces()).anySatisfy(nic -> {
            assertThat(nic.name()).isEqualTo("lo");
            assertThat(nic.mac()).isNull();
            assertThat(nic.addresses()).contains("127.0.0.1");
        });
        assertThat(inventory.interfaces()).extracting(n -> n.name()).isSorted();
        boolean hasPhysicalDisk = SysFiles.childNames(Path.of("/sys/block")).stream()
                .anyMatch(name -> !BlockDisks.isVirtual(name));
        if (hasPhysicalDisk) {
            assertThat(inventory.disks()).anySatisfy(d -> assertThat(d.sizeBytes()).isPositive());
        }
        assertThat(inventory.disks()).extracting(Disk::kind).containsOnly("block");
    }
}
