package io.keel.testkit.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The test guest's serial console reached through a running QEMU's console socket (a VM that Keel
 * started), rather than through a QEMU the test kit started itself. Speaks the guest's line
 * protocol: a command, the lines it prints, then KEEL-OK or KEEL-ERR. Output from before the
 * connection is not seen (QEMU drops what its socket console prints while nobody listens), and
 * input sent while the guest boots is mangled: wait for the boot in the VM's serial log first.
 */
public final class GuestSerial implements AutoCloseable {
    private static final String OK = "KEEL-OK";
    private static final String ERR = "KEEL-ERR";

    private final SocketChannel channel;
    private final OutputStream out;
    private final GuestConsole console;
    private final Object commandLock = new Object();

    private GuestSerial(SocketChannel channel, Path logFile) throws IOException {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        this.console = GuestConsole.start(logFile, Channels.newInputStream(channel), "serial-" + logFile.getFileName());
    }

    /** Connects to {@code socket}, copying everything the guest prints to {@code logFile}. */
    public static GuestSerial connect(Path socket, Path logFile) throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(logFile, "logFile");
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new GuestSerial(ch, logFile);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends one command line and returns what it printed before KEEL-OK; throws on KEEL-ERR or timeout. */
    public List<String> command(String line, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(line, "line");
        synchronized (commandLock) {
            int mark = console.size();
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new GuestException("cannot send '" + line + "' to the guest: " + e.getMessage(), e);
            }
            int end = console.await(mark, l -> l.equals(OK) || l.startsWith(ERR), timeout);
            if (end < 0) {
                throw new GuestException((end == -1 ? "the console closed" : "timed out after " + timeout.toSeconds()
                        + " s") + " running '" + line + "'\n" + console.tail());
            }
            List<String> all = console.lines();
            if (all.get(end).startsWith(ERR)) {
                throw new GuestException("'" + line + "' failed in the guest: " + all.get(end) + "\n" + console.tail());
            }
            return List.copyOf(all.subList(mark, end));
        }
    }

    /** The value after {@code prefix} on the first line of {@code result} that has it. */
    public static String value(List<String> result, String prefix) {
        return result.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .findFirst().orElseThrow(() -> new GuestException("no '" + prefix.strip() + "' in " + result));
    }

    /** True once the console has closed (QEMU exited), waiting up to {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return console.await(console.size(), l -> false, timeout) == -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
