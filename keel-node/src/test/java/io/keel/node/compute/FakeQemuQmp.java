package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * QEMU's QMP side on a real Unix socket, as far as the snapshotter uses it: greets, answers
 * {@code query-status} (running or paused), {@code stop} and {@code cont}, and notes each command
 * in a shared event list so tests can check the order of pause, snapshot and resume.
 */
final class FakeQemuQmp implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel server;
    private final List<String> events;
    private volatile boolean running;
    private volatile SocketChannel conn;
    private final CountDownLatch resumed = new CountDownLatch(1);

    FakeQemuQmp(Path socket, boolean running, List<String> events) throws IOException {
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.server.bind(UnixDomainSocketAddress.of(socket));
        this.running = running;
        this.events = events;
        Thread.ofVirtual().name("fake-qemu-qmp").start(this::serve);
    }

    private void serve() {
        try (SocketChannel c = server.accept()) {
            conn = c;
            send("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"},"
                    + " \"capabilities\": []}}");
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode cmd = json.readTree(line);
                String name = cmd.path("execute").asText();
                String id = cmd.path("id").toString();
                switch (name) {
                    case "query-status" -> send("{\"return\": {\"status\": \"" + (running ? "running" : "paused")
                            + "\", \"running\": " + running + "}, \"id\": " + id + "}");
                    case "stop", "cont" -> {
                        events.add(name);
                        running = name.equals("cont");
                        if (running) {
                            resumed.countDown();
                        }
                        send("{\"return\": {}, \"id\": " + id + "}");
                    }
                    default -> send("{\"return\": {}, \"id\": " + id + "}");
                }
            }
        } catch (IOException e) {
            // The test closed the client: nothing more to serve.
        }
    }

    /** True once a {@code cont} came within {@code timeout}. */
    boolean awaitCont(Duration timeout) throws InterruptedException {
        return resumed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean running() {
        return running;
    }

    private synchronized void send(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            conn.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        SocketChannel c = conn;
        if (c != null) {
            c.close();
        }
        server.close();
    }
}
