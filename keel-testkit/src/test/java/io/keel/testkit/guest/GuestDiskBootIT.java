package io.keel.testkit.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest boots the way a product's VM does: SeaBIOS reads a virtio disk (a copy of the test kit's
 * disk.raw or disk.qcow2) and SYSLINUX on it loads the kernel, with no -kernel on QEMU's command
 * line, and the guest then behaves as after a direct kernel boot.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GuestDiskBootIT {
    private static final long DATA_SIZE = 64L << 20;
    private static final long OFFSET = (5L << 20) + 8192;
    private static final int COUNT = 128 << 10;
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void bootsFromACopyOfTheRawDiskAndWritesToASecondDisk() throws Exception {
        GuestImage image = GuestImage.locate();
        Path boot = Files.copy(image.bootDisk(), dir.resolve("boot.raw"));
        Path data = rawDisk(dir.resolve("data.raw"));
        GuestOptions options = GuestOptions.defaults().withName("raw-boot")
                .withBootDrive(GuestOptions.fileDrive(boot, "raw"))
                .withDrive(GuestOptions.fileDrive(data));
        String written;
        try (TestGuest guest = TestGuest.boot(image, options, dir)) {
            System.out.println("guest boot time (SeaBIOS from disk.raw): " + guest.bootTime().toMillis() + " ms");
            assertBootedFromDisk(guest, "raw-boot");
            // The boot disk is vda, so the data disk is vdb and is named explicitly.
            assertThat(guest.blockSize("vda")).isEqualTo(Files.size(image.bootDisk()));
            assertThat(guest.blockSize("vdb")).isEqualTo(DATA_SIZE);
            written = guest.writePattern("vdb", OFFSET, COUNT, "disk1", IO_TIMEOUT);
            assertThat(written).isEqualTo(GuestPattern.sha256(GuestPattern.bytes("disk1", COUNT)));
            assertThat(guest.readChecksum("vdb", OFFSET, COUNT, IO_TIMEOUT)).isEqualTo(written);
            assertThat(guest.poweroff(Duration.ofSeconds(20))).as("QEMU exits after poweroff").isTrue();
        }
        assertThat(read(data, OFFSET, COUNT)).isEqualTo(GuestPattern.bytes("disk1", COUNT));
    }

    @Test
    void bootsFromACopyOfTheQcow2Disk() throws Exception {
        GuestImage image = GuestImage.locate();
        Path boot = Files.copy(image.bootDiskQcow2(), dir.resolve("boot.qcow2"));
        GuestOptions options = GuestOptions.defaults().withName("qcow2-boot")
                .withBootDrive(GuestOptions.fileDrive(boot, "qcow2"));
        try (TestGuest guest = TestGuest.boot(image, options, dir)) {
            System.out.println("guest boot time (SeaBIOS from disk.qcow2): " + guest.bootTime().toMillis() + " ms");
            assertBootedFromDisk(guest, "qcow2-boot");
            assertThat(guest.blockSize("vda")).isEqualTo(Files.size(image.bootDisk()));
            assertThat(guest.poweroff(Duration.ofSeconds(20))).as("QEMU exits after poweroff").isTrue();
        }
    }

    private void assertBootedFromDisk(TestGuest guest, String name) throws IOException, InterruptedException {
        assertThat(Files.readString(dir.resolve(name + ".cmdline"))).doesNotContain("-kernel", "-initrd");
        // SYSLINUX adds BOOT_IMAGE; a direct kernel boot has none. The rest must match a direct boot's.
        assertThat(guest.command("run cat /proc/cmdline", IO_TIMEOUT))
                .anyMatch(l -> l.contains("BOOT_IMAGE=vmlinuz") && l.contains(TestGuest.KERNEL_ARGS));
        assertThat(guest.command("echo from disk", IO_TIMEOUT)).containsExactly("ECHO from disk");
    }

    private static byte[] read(Path file, long offset, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("disk image ends early");
                }
            }
        }
        return buf.array();
    }

    private static Path rawDisk(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), DATA_SIZE - 1);
        }
        return file;
    }
}
