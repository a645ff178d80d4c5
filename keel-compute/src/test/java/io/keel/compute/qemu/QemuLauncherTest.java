package io.keel.compute.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.compute.qmp.QmpClientOptions;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the launcher fails, with shell scripts standing in for QEMU (the real QEMU is in
 * {@code QemuProcessIT}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QemuLauncherTest {
    @TempDir
    Path dir;

    private Path fakeQemu(String body) throws IOException {
        Path p = dir.resolve("fake-qemu");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private VmLaunchSpec spec() {
        return VmLaunchSpec.minimal("t1", Accelerator.TCG, 64, dir);
    }

    private static QemuLauncher launcher(Path binary, Duration startTimeout) {
        return new QemuLauncher(binary, startTimeout, QmpClientOptions.defaults());
    }

    @Test
    void aQemuThatExitsDuringStartupIsReportedWithItsLog() throws Exception {
        Path binary = fakeQemu("echo \"qemu-system-x86_64: -blockdev nbd: Failed to connect to '127.0.0.1:1': Connection refused\" >&2\nexit 1");
        Path log = dir.resolve("t1.log");
        assertThatThrownBy(() -> launcher(binary, Duration.ofSeconds(10)).launch(spec(), log))
                .isInstanceOfSatisfying(QemuStartException.class, e -> {
                    assertThat(e.getMessage()).startsWith("QEMU for VM t1 exited with status 1 during startup; QEMU's log ends with:");
                    assertThat(e.logTail()).isEqualTo("qemu-system-x86_64: -blockdev nbd: Failed to connect to '127.0.0.1:1': Connection refused");
                });
        // The log keeps the command line for whoever investigates later.
        assertThat(Files.readString(log)).contains("starting VM t1: " + binary + " -nodefaults").contains("Connection refused");
    }

    @Test
    void aQemuThatNeverOpensQmpIsKilledAtTheDeadline() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path binary = fakeQemu("echo $$ > " + pidFile + "\necho waiting\nexec sleep 60");
        long start = System.nanoTime();
        assertThatThrownBy(() -> launcher(binary, Duration.ofMillis(500)).launch(spec(), dir.resolve("t1.log")))
                .isInstanceOf(QemuStartException.class)
                .hasMessageContaining("QEMU for VM t1 opened no QMP connection on " + spec().qmpSocket() + " within 500 ms")
                .hasMessageEndingWith("waiting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the stuck QEMU was killed").isFalse();
    }

    @Test
    void aMissingBinaryIsAStartFailure() {
        Path binary = dir.resolve("no-such-qemu");
        assertThatThrownBy(() -> launcher(binary, Duration.ofSeconds(5)).launch(spec(), dir.resolve("t1.log")))
                .isInstanceOf(QemuStartException.class).hasMessageStartingWith("cannot start " + binary + " for VM t1");
    }

    @Test
    void aSocketStillServedByAnotherProcessIsNotTaken() throws Exception {
        Path marker = dir.resolve("started");
        Path binary = fakeQemu("touch " + marker);
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(spec().qmpSocket()));
            assertThatThrownBy(() -> launcher(binary, Duration.ofSeconds(5)).launch(spec(), dir.resolve("t1.log")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("something already listens on " + spec().qmpSocket() + ": is a QEMU for this VM still running?");
        }
        assertThat(marker).as("QEMU was not started").doesNotExist();
    }

    @Test
    void aStaleSocketFileIsRemoved() throws Exception {
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(spec().serialSocket()));
        }
        assertThat(spec().serialSocket()).as("a closed listener leaves its file").exists();
        Path binary = fakeQemu("exit 3");
        assertThatThrownBy(() -> launcher(binary, Duration.ofSeconds(5)).launch(spec(), dir.resolve("t1.log")))
                .isInstanceOf(QemuStartException.class).hasMessageContaining("exited with status 3");
        assertThat(spec().serialSocket()).doesNotExist();
    }

    @Test
    void attachRefusesAProcessThatIsNotQemu() throws Exception {
        QemuLauncher l = launcher(fakeQemu("exit 0"), Duration.ofSeconds(5));
        long self = ProcessHandle.current().pid();
        assertThatThrownBy(() -> l.attach(self, dir.resolve("t1.qmp"), dir.resolve("t1.log")))
                .isInstanceOf(IOException.class).hasMessageMatching("process " + self + " is java, not QEMU");
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        assertThatThrownBy(() -> l.attach(done.pid(), dir.resolve("t1.qmp"), dir.resolve("t1.log")))
                .isInstanceOf(IOException.class).hasMessage("no process " + done.pid() + " is running");
    }

    @Test
    void qemuIsFoundOnASearchPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path q = Files.writeString(bin.resolve(QemuBinary.X86_64), "");
        assertThat(QemuBinary.find(QemuBinary.X86_64, "/nonexistent:" + bin)).isEmpty();
        Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("rwx------"));
        assertThat(QemuBinary.find(QemuBinary.X86_64, "/nonexistent::" + bin)).contains(q);
        assertThat(QemuBinary.find(QemuBinary.X86_64, null)).isEmpty();
    }
}
