package io.keel.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keel.meta.cluster.Disk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDiskTest {
    @TempDir
    Path base;

    @Test
    void directoryDiskIsCreatedAndReportedAfterBlockDisks() {
        Path missing = base.resolve("disks/dev-1");
        FakeHost host = new FakeHost(base).blockDevice("vda", 1000, "254:0");

        List<Disk> disks = host.probe(List.of(new DirectoryDisk("dev-1", missing))).probe().disks();

        assertThat(missing).isDirectory();
        assertThat(disks).extracting(Disk::id).containsExactly("vda", "dev-1");
        Disk disk = disks.get(1);
        assertThat(disk.kind()).isEqualTo("directory");
        assertThat(disk.device()).isEqualTo(missing.toAbsolutePath().normalize().toString());
        assertThat(disk.sizeBytes()).isPositive();
        assertThat(disk.rotational()).isFalse();
        assertThat(disk.model()).isEqualTo("directory");
        assertThat(disk.serial()).isNull();
        assertThat(disk.system()).isFalse();
    }

    @Test
    void existingDirectoryKeepsItsContents() throws Exception {
        Files.writeString(base.resolve("chunk"), "data");

        List<Disk> disks = new FakeHost(base).probe(List.of(new DirectoryDisk("d", base))).probe().disks();

        assertThat(disks).singleElement().satisfies(d -> assertThat(d.sizeBytes()).isPositive());
        assertThat(base.resolve("chunk")).hasContent("data");
    }

    @Test
    void unusableDirectoryIsReportedWithZeroSizeInsteadOfFailing() throws Exception {
        Path file = Files.writeString(base.resolve("in-the-way"), "x");

        List<Disk> disks = new FakeHost(base)
                .probe(List.of(new DirectoryDisk("bad", file.resolve("sub"))))
                .probe()
                .disks();

        assertThat(disks).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("directory");
            assertThat(d.sizeBytes()).isZero();
        });
    }

    @Test
    void recordValidatesItsArguments() {
        assertThatNullPointerException().isThrownBy(() -> new DirectoryDisk(null, base));
        assertThatNullPointerException().isThrownBy(() -> new DirectoryDisk("d", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new DirectoryDisk(" ", base));
    }
}
