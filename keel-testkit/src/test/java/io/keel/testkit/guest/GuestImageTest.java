package io.keel.testkit.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestImageTest {
    @TempDir
    Path dir;

    @Test
    void aGuestWithoutDisksStillBootsDirectlyButAsksForTheScriptWhenADiskIsWanted() throws IOException {
        GuestImage image = GuestImage.in(kernelAndInitrd());
        assertThatThrownBy(image::bootDisk).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no disk.raw in " + dir).hasMessageContaining("run scripts/test-guest.sh " + dir);
        assertThatThrownBy(image::bootDiskQcow2).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no disk.qcow2 in " + dir);
    }

    @Test
    void disksAreFoundNextToTheKernel() throws IOException {
        GuestImage image = GuestImage.in(kernelAndInitrd());
        Files.writeString(dir.resolve("disk.raw"), "raw");
        Files.writeString(dir.resolve("disk.qcow2"), "qcow2");
        assertThat(image.bootDisk()).isEqualTo(dir.resolve("disk.raw"));
        assertThat(image.bootDiskQcow2()).isEqualTo(dir.resolve("disk.qcow2"));
    }

    private Path kernelAndInitrd() throws IOException {
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initrd.img"), "i");
        return dir;
    }
}
