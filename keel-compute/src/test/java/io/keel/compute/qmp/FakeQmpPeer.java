package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for QEMU on a real Unix socket, for client tests: accepts one connection, greets (or
 * not), and hands every command it reads to a {@link Script} that answers as the test needs.
 * Lines go out with CRLF, as QEMU sends them.
 */
final class FakeQmpPeer implements AutoCloseable {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
            + "\"package\": \"fake\"}, \"capabilities\": [\"oob\"]}}";

    @FunctionalInterface
    interface Script {
        void onCommand(String name, JsonNode id, JsonNode command, FakeQmpPeer peer) throws IOException;
    }

    private final ObjectMapper json = new ObjectMapper();
    private final ServerSocketChannel server;
    private final boolean greet;
    private final Script script;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile SocketChannel conn;

    private FakeQmpPeer(ServerSocketChannel server, boolean greet, Script script) {
        this.server = server;
        this.greet = greet;
        this.script = script;
    }

    /** A peer that greets, answers qmp_capabilities itself and passes every other command to {@code script}. */
    static FakeQmpPeer start(Path socket, Script script) throws IOException {
        return start(socket, true, (name, id, cmd, peer) -> {
            if (name.equals("qmp_capabilities")) {
                peer.send("{\"return\": {}, \"id\": " + id + "}");
            } else {
                script.onCommand(name, id, cmd, peer);
            }
        });
    }

    static FakeQmpPeer start(Path socket, boolean greet, Script script) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        FakeQmpPeer peer = new FakeQmpPeer(server, greet, script);
        Thread.ofVirtual().name("fake-qmp-peer").start(peer::serve);
        return peer;
    }

    private void serve() {
        try (SocketChannel c = server.accept()) {
            conn = c;
            if (greet) {
                send(GREETING);
            }
            QmpLineReader lines = new QmpLineReader(c, 1 << 20);
            byte[] line;
            while ((line = lines.readLine()) != null) {
                JsonNode cmd = json.readTree(line);
                received.add(cmd);
                script.onCommand(cmd.path("execute").asText(), cmd.get("id"), cmd, this);
            }
        } catch (IOException e) {
            // The test closed the connection or the client went away: the peer's job is done.
        }
    }

    /** Every command received so far, as JSON. */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** Sends one raw line (CRLF added). */
    synchronized void send(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            conn.write(b);
        }
    }

    void event(String name) throws IOException {
        send("{\"timestamp\": {\"seconds\": 1796225429, \"microseconds\": 1}, \"event\": \"" + name + "\"}");
    }

    void ok(JsonNode id) throws IOException {
        send("{\"return\": {}, \"id\": " + id + "}");
    }

    /** Hangs up, as a QEMU that exits or crashes does. */
    void dropConnection() throws IOException {
        SocketChannel c = conn;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() throws IOException {
        dropConnection();
        server.close();
    }
}
