package io.keel.api;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A console on a real Unix-domain socket, as QEMU's chardev server is: sends a banner to each
 * client, then echoes what it receives. Counts clients, and those whose connection ended.
 */
final class FakeConsole implements AutoCloseable {
    static final String BANNER = "console ready\r\n";

    private final Path socket;
    private final ServerSocketChannel server;
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();

    FakeConsole(Path socket) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().name("fake-console-accept").start(this::acceptLoop);
    }

    Path socket() {
        return socket;
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel ch = server.accept();
                clients.add(ch);
                accepted.incrementAndGet();
                Thread.ofVirtual().name("fake-console-client").start(() -> serve(ch));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            ch.write(StandardCharsets.UTF_8.encode(BANNER));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            ended.incrementAndGet();
        }
    }

    int accepted() {
        return accepted.get();
    }

    int ended() {
        return ended.get();
    }

    /** Closes every client connection, as QEMU does when the VM stops. */
    void dropClients() throws IOException {
        for (SocketChannel ch : clients) {
            ch.close();
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // a poll interval, not a synchronisation: the condition decides
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropClients();
        Files.deleteIfExists(socket);
    }
}
