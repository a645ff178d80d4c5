package io.keel.api.console;

import io.keel.api.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The console of a VM on another node, reached through that node's internal console route with
 * this node's credential. Output is taken one message at a time ({@code request(1)} after each is
 * handed on), so a slow client slows the peer down instead of filling this node's memory.
 */
public final class PeerUpstream implements Upstream {
    /** The header a console upgrade refusal carries its message in: a handshake exposes no body. */
    public static final String ERROR_HEADER = "Keel-Error";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String vm;
    private final CompletableFuture<ConsoleSink> sink = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WebSocket socket;

    private PeerUpstream(String vm) {
        this.vm = vm;
    }

    /**
     * Opens {@code vm}'s console on {@code target}. A refusal by the peer is rethrown as the
     * {@link ApiException} it answered (404, 409 console in use, ...); an unreachable peer is 502.
     */
    public static PeerUpstream connect(ConsoleTarget.Remote target, String vm, ConsoleKind kind,
            NodeCredential credential) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credential, "credential");
        String host = target.address().contains(":") && !target.address().startsWith("[")
                ? "[" + target.address() + "]" : target.address();
        URI uri = URI.create((target.tls() ? "wss://" : "ws://") + host + ":" + target.apiPort()
                + ConsolePaths.internal(vm, kind));
        PeerUpstream upstream = new PeerUpstream(vm);
        try {
            upstream.socket = credential.client().newWebSocketBuilder()
                    .header("Authorization", credential.authorization())
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(uri, upstream.new Listener())
                    .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return upstream;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw refusal(refused.getResponse(), target, vm);
            }
            throw unreachable(target, vm, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(target, vm, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(target, vm, e);
        }
    }

    private static ApiException refusal(HttpResponse<?> response, ConsoleTarget.Remote target, String vm) {
        int status = response.statusCode();
        String message = response.headers().firstValue(ERROR_HEADER)
                .orElse("node " + target.nodeId() + " refused the console of VM " + vm + " (HTTP " + status + ")");
        // The peer's 401 means this node's credential was refused, not the operator's session.
        if (status == 401 || status == 403) {
            return new ApiException(502, "bad_gateway", "node " + target.nodeId()
                    + " refused this node's credential for the console of VM " + vm);
        }
        return new ApiException(status, codeFor(status), message);
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 503 -> "unavailable";
            default -> status >= 500 ? "bad_gateway" : "http_" + status;
        };
    }

    private static ApiException unreachable(ConsoleTarget.Remote target, String vm, Throwable e) {
        return new ApiException(502, "bad_gateway", "cannot reach node " + target.nodeId() + " ("
                + target.address() + ":" + target.apiPort() + ") for the console of VM " + vm + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                Map.of("node", target.nodeId()));
    }

    @Override
    public void start(ConsoleSink s) {
        if (!sink.complete(Objects.requireNonNull(s, "sink"))) {
            throw new IllegalStateException("already started");
        }
        socket.request(1);
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        try {
            // One send at a time is what java.net.http allows; the client's frames arrive one by one.
            socket.sendBinary(bytes, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("console of VM " + vm + " on its node: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("console of VM " + vm + " on its node took no input for " + SEND_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            WebSocket ws = socket;
            if (ws != null) {
                // A polite close, and abort if the peer does not answer it: nothing waits for it here.
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "detached")
                        .orTimeout(5, TimeUnit.SECONDS)
                        .whenComplete((r, e) -> ws.abort());
            }
        }
    }

    private void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            close();
            sink.thenAccept(s -> s.ended(reason));
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            // No request(1) yet: output waits until the client's side is connected (start()).
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            return deliver(webSocket, data);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            return deliver(webSocket, StandardCharsets.UTF_8.encode(data.toString()));
        }

        private CompletionStage<?> deliver(WebSocket webSocket, ByteBuffer data) {
            // Handed on in a virtual thread because the sink blocks; the next message is asked
            // for only after this one is out, which keeps the order and bounds what is buffered.
            return sink.thenAcceptAsync(s -> {
                try {
                    s.data(data);
                    webSocket.request(1);
                } catch (IOException e) {
                    end("the client is gone");
                }
            }, command -> Thread.ofVirtual().start(command));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            end(reason == null || reason.isEmpty() ? "the console closed" : reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            end("console connection to the VM's node failed: " + error.getMessage());
        }
    }
}
