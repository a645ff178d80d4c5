package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.console.ConsoleKind;
import io.keel.api.console.ConsoleTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial console of a real QEMU (TCG) through the WebSocket route: the test guest of
 * scripts/test-guest.sh prints KEEL-GUEST-READY on its serial port and answers commands there.
 * QEMU's serial port is a {@code -chardev socket} server with {@code wait=off}, as
 * keel-compute's QemuCommandLine starts every VM; the machine starts paused and is resumed over
 * QMP only once the console is attached, because a chardev without a client drops what the guest
 * writes. Needs qemu-system-x86 and the built guest (scripts/test installs and builds both); a
 * missing one fails the test with that advice rather than skipping it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SerialConsoleQemuIT {
    private static final Duration BOOT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void theGuestsSerialConsoleAnswersThroughTheWebSocket() throws Exception {
        Path guest = guestDir();
        Path serial = dir.resolve("serial.sock");
        Path qmp = dir.resolve("qmp.sock");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64",
                "-nodefaults", "-no-user-config", "-machine", "q35", "-accel", "tcg", "-m", "128",
                "-display", "none", "-nic", "none", "-no-reboot", "-S",
                "-chardev", "socket,id=qmp,path=" + qmp + ",server=on,wait=off", "-mon", "chardev=qmp,mode=control",
                "-chardev", "socket,id=serial0,path=" + serial + ",server=on,wait=off", "-serial", "chardev:serial0",
                "-kernel", guest.resolve("vmlinuz").toString(), "-initrd", guest.resolve("initrd.img").toString(),
                "-append", "console=ttyS0 panic=-1 quiet"));
        Process qemu;
        try {
            qemu = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start qemu-system-x86_64 (install Debian's qemu-system-x86, or run scripts/test): "
                    + e.getMessage(), e);
        }
        FakeConsoleService consoles = new FakeConsoleService().vm("guest", ConsoleKind.SERIAL, new ConsoleTarget.Local(serial));
        try (LoggedInApi api = new LoggedInApi(new FakeClusterService(), s -> s.withConsoles(consoles, unusedCredential()))) {
            assertThat(FakeConsole.await(() -> accepts(serial) && accepts(qmp) || !qemu.isAlive(), Duration.ofSeconds(30)))
                    .as("QEMU listens on its sockets").isTrue();
            assertThat(qemu.isAlive()).as("QEMU runs: " + log()).isTrue();
            try (WsTestClient ws = WsTestClient.connect(api.port(), "/api/v1/vms/guest/console/serial",
                    "Authorization", api.authorization())) {
                resume(qmp);
                awaitOrFail(ws, "KEEL-GUEST-READY", BOOT);
                ws.sendText("echo through-the-websocket\n");
                awaitOrFail(ws, "ECHO through-the-websocket", Duration.ofSeconds(30));
                ws.sendBinary("poweroff\n".getBytes(StandardCharsets.US_ASCII));
                // QEMU exits, its socket closes, and the WebSocket with it.
                WsTestClient.Closed closed = ws.awaitClosed();
                assertThat(closed.status()).isEqualTo(1000);
                assertThat(qemu.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitOrFail(WsTestClient ws, String text, Duration timeout) throws InterruptedException, IOException {
        if (!FakeConsole.await(() -> ws.text().contains(text), timeout)) {
            throw new AssertionError("no '" + text + "' on the console within " + timeout.toSeconds() + " s; console:\n"
                    + ws.text() + "\nqemu.log:\n" + log());
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("qemu.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** QMP by hand (greeting, capabilities, cont): keel-api does not depend on keel-compute's client. */
    private static void resume(Path qmp) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(qmp));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            assertThat(in.readLine()).contains("\"QMP\"");
            out.write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).contains("\"return\"");
            out.write("{\"execute\":\"cont\"}\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            // The RESUME event comes before cont's reply.
            while ((line = in.readLine()) != null && !line.contains("\"return\"")) {
                assertThat(line).doesNotContain("\"error\"");
            }
        }
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Probing the serial socket takes QEMU's one client slot for a moment; it is free again on close.
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path guestDir() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("keel.guest.dir");
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        String env = System.getenv("KEEL_GUEST_DIR");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        String cache = System.getenv("KEEL_CACHE");
        candidates.add((cache == null || cache.isBlank() ? System.getProperty("user.home") + "/.cache/keel" : cache) + "/guest");
        for (String c : candidates) {
            Path d = Path.of(c);
            if (Files.isRegularFile(d.resolve("vmlinuz")) && Files.isRegularFile(d.resolve("initrd.img"))) {
                return d;
            }
        }
        throw new IllegalStateException("no test guest found (looked in " + candidates + "): run scripts/test-guest.sh");
    }

    private static io.keel.api.console.NodeCredential unusedCredential() {
        return new io.keel.api.console.NodeCredential() {
            @Override
            public String authorization() {
                throw new AssertionError("the VM is local");
            }

            @Override
            public java.net.http.HttpClient client() {
                throw new AssertionError("the VM is local");
            }
        };
    }
}
