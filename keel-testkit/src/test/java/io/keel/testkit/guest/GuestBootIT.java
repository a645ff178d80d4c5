package io.keel.testkit.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.block.DirectoryExports;
import io.keel.block.nbd.NbdServer;
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
 * The test guest boots, sees a virtio disk and its writes reach the host: first from a plain raw
 * file, then through Keel's own NBD server with QEMU as the NBD client.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GuestBootIT {
    private static final long DISK_SIZE = 64L << 20;
    // Not at 0 and not block-size aligned to 1 MiB, so an offset mix-up anywhere would show.
    private static final long OFFSET = (3L << 20) + 4096;
    private static final int COUNT = 256 << 10;
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void guestWritesReachARawFileDisk() throws Exception {
        Path disk = rawDisk(dir.resolve("disk.raw"));
        String guestSum;
        try (TestGuest guest = TestGuest.boot(GuestOptions.defaults().withDrive(GuestOptions.fileDrive(disk)), dir)) {
            System.out.println("guest boot time (raw file disk): " + guest.bootTime().toMillis() + " ms");
            guestSum = writeReadInGuest(guest, "file1");
            // A failing command reports the guest's reason and leaves the guest usable.
            assertThatThrownBy(() -> guest.command("no-such-command", IO_TIMEOUT)).isInstanceOf(GuestException.class)
                    .hasMessageContaining("KEEL-ERR unknown command: no-such-command");
            assertThat(guest.command("echo still here", IO_TIMEOUT)).containsExactly("ECHO still here");
            assertThat(guest.poweroff(Duration.ofSeconds(20))).as("QEMU exits after poweroff").isTrue();
        }
        assertHostSees(disk, "file1", guestSum);
    }

    @Test
    void guestWritesReachAFileServedByKeelsNbdServer() throws Exception {
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path disk = rawDisk(exports.resolve("vol1"));
        String guestSum;
        try (NbdServer server = NbdServer.start("127.0.0.1", 0, new DirectoryExports(exports))) {
            GuestOptions options = GuestOptions.defaults().withName("nbd-guest")
                    .withDrive(GuestOptions.nbdDrive("127.0.0.1", server.port(), "vol1"));
            try (TestGuest guest = TestGuest.boot(options, dir)) {
                System.out.println("guest boot time (Keel NBD disk): " + guest.bootTime().toMillis() + " ms");
                assertThat(server.connectionCount()).as("QEMU is connected to the NBD server").isPositive();
                guestSum = writeReadInGuest(guest, "nbd1");
                assertThat(guest.poweroff(Duration.ofSeconds(20))).as("QEMU exits after poweroff").isTrue();
            }
        }
        assertHostSees(disk, "nbd1", guestSum);
    }

    @Test
    void killIsImmediateAndLeavesNoQemuBehind() throws Exception {
        TestGuest guest = TestGuest.boot(GuestOptions.defaults().withName("no-disk").withMemoryMiB(96), dir);
        try (guest) {
            assertThat(guest.command("run cat /proc/cmdline", IO_TIMEOUT)).anyMatch(l -> l.contains("console=ttyS0"));
            guest.kill();
            assertThat(guest.isAlive()).isFalse();
            assertThat(guest.exitValue()).as("killed, not powered off").isNotZero();
        }
        assertThat(Files.readString(guest.consoleLog())).contains("KEEL-GUEST-READY");
    }

    @Test
    void missingGuestFilesSayHowToBuildThem() {
        assertThatThrownBy(() -> TestGuest.boot(GuestImage.in(dir.resolve("nowhere")), GuestOptions.defaults(), dir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run scripts/test-guest.sh");
    }

    private static String writeReadInGuest(TestGuest guest, String seed) throws InterruptedException {
        assertThat(guest.blockSize("vda")).isEqualTo(DISK_SIZE);
        String written = guest.writePattern(OFFSET, COUNT, seed, IO_TIMEOUT);
        assertThat(written).isEqualTo(GuestPattern.sha256(GuestPattern.bytes(seed, COUNT)));
        // The guest drops its page cache before reading, so this comes back from the disk.
        assertThat(guest.readChecksum(OFFSET, COUNT, IO_TIMEOUT)).isEqualTo(written);
        // Bytes around the write stay zero: it landed exactly where asked.
        assertThat(guest.readChecksum(OFFSET - 4096, 4096, IO_TIMEOUT)).isEqualTo(GuestPattern.sha256(new byte[4096]));
        guest.sync(IO_TIMEOUT);
        return written;
    }

    private static void assertHostSees(Path disk, String seed, String guestSum) throws IOException {
        byte[] onHost = new byte[COUNT];
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(onHost);
            while (buf.hasRemaining()) {
                if (ch.read(buf, OFFSET + buf.position()) < 0) {
                    throw new IOException("disk image ends early");
                }
            }
        }
        assertThat(onHost).isEqualTo(GuestPattern.bytes(seed, COUNT));
        assertThat(GuestPattern.sha256(onHost)).isEqualTo(guestSum);
        assertThat(Files.size(disk)).isEqualTo(DISK_SIZE);
    }

    private static Path rawDisk(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(DISK_SIZE);
            ch.write(ByteBuffer.allocate(1), DISK_SIZE - 1);
        }
        return file;
    }
}
