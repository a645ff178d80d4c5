package io.keel.compute.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpClientOptions;
import io.keel.compute.qmp.QmpClosedException;
import io.keel.compute.qmp.QmpCommandException;
import io.keel.compute.qmp.QmpStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the QMP client against a real qemu-system-x86_64 on TCG, with no guest: a paused
 * q35 machine is enough to exercise every state change QMP reports. Like keel-testkit's GuestBootIT
 * it needs Debian's qemu-system-x86 (and qemu-utils for qemu-nbd), which scripts/test installs; a
 * missing binary fails the test with that advice rather than skipping it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QemuProcessIT {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    private static Path qemu;
    private static QemuLauncher launcher;

    @TempDir
    Path dir;

    @BeforeAll
    static void findQemu() {
        qemu = QemuBinary.locateX86_64();
        launcher = new QemuLauncher(qemu, Duration.ofSeconds(30), QmpClientOptions.defaults().withCommandTimeout(Duration.ofSeconds(10)));
        System.out.println("accelerator on this machine: " + AcceleratorDetector.forThisHost().choose(AcceleratorMode.AUTO));
    }

    @Test
    void lifecycleOverQmp() throws Exception {
        long start = System.nanoTime();
        VmLaunchSpec spec = VmLaunchSpec.minimal("it-vm", Accelerator.TCG, 64, dir);
        QemuProcess vm = launcher.launch(spec, dir.resolve("it-vm.log"));
        try {
            System.out.printf("QEMU %s up with QMP negotiated in %d ms%n", vm.qmp().greeting().qemuVersion(), millisSince(start));
            QmpClient qmp = vm.qmp();
            assertThat(qmp.greeting().qemuVersion()).isNotEqualTo("unknown");
            assertThat(qmp.queryStatus()).isEqualTo(new QmpStatus("prelaunch", false));

            long mark = qmp.eventMark();
            qmp.cont();
            assertThat(qmp.awaitEvent("RESUME", mark, EVENT_WAIT).timestamp().instant()).isPresent();
            assertThat(qmp.queryStatus()).isEqualTo(new QmpStatus("running", true));

            mark = qmp.eventMark();
            qmp.stop();
            qmp.awaitEvent("STOP", mark, EVENT_WAIT);
            assertThat(qmp.queryStatus()).isEqualTo(new QmpStatus("paused", false));

            assertThatThrownBy(() -> qmp.execute("no-such-command")).isInstanceOfSatisfying(QmpCommandException.class,
                    e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));

            mark = qmp.eventMark();
            qmp.systemReset();
            assertThat(qmp.awaitEvent("RESET", mark, EVENT_WAIT).data().path("reason").asText()).isEqualTo("host-qmp-system-reset");

            // What the node agent does after its own restart: let go, then find QEMU again by pid and socket.
            long pid = vm.pid();
            vm.close();
            assertThat(vm.isAlive()).as("closing the handle leaves the VM running").isTrue();
            vm = launcher.attach(pid, spec.qmpSocket(), vm.logFile());
            // QEMU puts a machine reset while stopped back into prelaunch, not paused.
            assertThat(vm.qmp().queryStatus()).isEqualTo(new QmpStatus("prelaunch", false));

            QmpClient again = vm.qmp();
            mark = again.eventMark();
            again.quit();
            assertThat(again.awaitEvent("SHUTDOWN", mark, EVENT_WAIT).data().path("reason").asText()).isEqualTo("host-qmp-quit");
            assertThat(vm.awaitExit(Duration.ofSeconds(10))).as("QEMU exits after quit").isTrue();
            assertThat(again.onClose().get(10, TimeUnit.SECONDS)).isInstanceOf(QmpClosedException.class);
            assertThat(vm.exitCode()).as("an attached process's status went to its parent").isEmpty();
        } finally {
            vm.kill();
        }
        System.out.printf("real-QEMU lifecycle test took %d ms%n", millisSince(start));
    }

    @Test
    void qemuThatCannotReachItsDiskFailsTheStartWithItsOwnWords() throws Exception {
        int closedPort = freePort();
        VmLaunchSpec spec = new VmLaunchSpec("no-disk", UUID.randomUUID(), 1, 64, Accelerator.TCG,
                List.of(VmDisk.boot("root", "nbd://127.0.0.1:" + closedPort + "/vol", 0)),
                dir.resolve("q.sock"), dir.resolve("s.sock"), Optional.empty(), true);
        assertThatThrownBy(() -> launcher.launch(spec, dir.resolve("no-disk.log"))).isInstanceOfSatisfying(QemuStartException.class, e -> {
            assertThat(e.getMessage()).contains("QEMU for VM no-disk exited with status 1 during startup");
            assertThat(e.logTail()).contains("Failed to connect to '127.0.0.1:" + closedPort + "'");
        });
    }

    @Test
    void nbdDisksAppearAsVirtioDevicesWithTheirNodeNames() throws Exception {
        Path qemuNbd = QemuBinary.find("qemu-nbd", System.getenv("PATH")).orElseThrow(() -> new IllegalStateException(
                "qemu-nbd is not on the PATH: install Debian's qemu-utils package (scripts/test installs it)"));
        Path image = dir.resolve("vol.raw");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // truncate() only shrinks; a byte at the end gives the sparse file its size.
            ch.write(ByteBuffer.allocate(1), (1 << 20) - 1);
        }
        int port = freePort();
        Process server = new ProcessBuilder(qemuNbd.toString(), "--persistent", "--format=raw", "--export-name=vol",
                "--bind=127.0.0.1", "--port=" + port, image.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu-nbd.log").toFile()).start();
        try {
            awaitListening(port, server);
            VmLaunchSpec spec = new VmLaunchSpec("with-disk", UUID.randomUUID(), 1, 64, Accelerator.TCG,
                    List.of(VmDisk.boot("root", "nbd://127.0.0.1:" + port + "/vol", 0)),
                    dir.resolve("q.sock"), dir.resolve("s.sock"), Optional.empty(), true);
            QemuProcess vm = launcher.launch(spec, dir.resolve("with-disk.log"));
            try {
                JsonNode blocks = vm.qmp().execute("query-block");
                assertThat(blocks).anySatisfy(b -> {
                    assertThat(b.path("qdev").asText()).isEqualTo("/machine/peripheral/root/virtio-backend");
                    assertThat(b.path("inserted").path("node-name").asText()).isEqualTo("root-raw");
                    assertThat(b.path("inserted").path("ro").asBoolean()).isFalse();
                    assertThat(b.path("inserted").path("image").path("virtual-size").asLong()).isEqualTo(1 << 20);
                });
                vm.qmp().quit();
                assertThat(vm.awaitExit(Duration.ofSeconds(10))).isTrue();
                assertThat(vm.exitCode()).hasValue(0);
            } finally {
                vm.kill();
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("qemu-nbd is not listening on " + port, e);
                }
                server.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
