package io.keel.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for console tests: collects what arrives, and how the socket ended. */
final class WsTestClient implements AutoCloseable {
    /** A refused upgrade: the status and the {@code Keel-Error} header. */
    record Refused(int status, String message) {}

    record Closed(int status, String reason) {}

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile boolean sawText;
    private WebSocket socket;

    private WsTestClient() {}

    /** Connects, or returns the refusal; {@code headers} are name, value pairs. */
    static Object open(int port, String pathAndQuery, String... headers) throws Exception {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            client.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client.new Listener())
                    .get(10, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return new Refused(h.getResponse().statusCode(),
                        h.getResponse().headers().firstValue("Keel-Error").orElse(null));
            }
            throw e;
        }
    }

    static WsTestClient connect(int port, String pathAndQuery, String... headers) throws Exception {
        Object o = open(port, pathAndQuery, headers);
        if (o instanceof Refused r) {
            throw new AssertionError("upgrade refused: " + r);
        }
        return (WsTestClient) o;
    }

    static Refused refused(int port, String pathAndQuery, String... headers) throws Exception {
        Object o = open(port, pathAndQuery, headers);
        if (o instanceof WsTestClient c) {
            c.close();
            throw new AssertionError("upgrade was accepted");
        }
        return (Refused) o;
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    String text() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    boolean sawTextFrames() {
        return sawText;
    }

    /** Waits until everything received so far contains {@code expected}; fails with what did arrive. */
    void await(String expected) throws InterruptedException {
        if (!FakeConsole.await(() -> text().contains(expected), Duration.ofSeconds(10))) {
            throw new AssertionError("no '" + expected + "' within 10 s; received: '" + text() + "'");
        }
    }

    Closed awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((r, e) -> socket.abort());
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (received) {
                received.writeBytes(b);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            sawText = true;
            synchronized (received) {
                received.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
