package io.keel.api.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Joins a client's WebSocket to a console {@link Upstream}: client frames (text or binary) go to
 * the console as bytes, console bytes go back as binary frames (what noVNC needs, and what
 * xterm.js's attach addon takes). Whichever side ends first ends the other. Knows nothing of
 * HTTP, tickets or routes.
 */
public final class ConsoleBridge {
    /** WebSocket close codes (RFC 6455 section 7.4.1). */
    public static final int NORMAL = 1000;
    public static final int INTERNAL_ERROR = 1011;

    /** The client's WebSocket, as the bridge needs it. */
    public interface Client {
        /** Sends one binary frame, blocking until it is written. */
        void send(ByteBuffer bytes) throws IOException;

        /** Closes the WebSocket with {@code status} and a short reason; harmless when already closed. */
        void close(int status, String reason);
    }

    private final Upstream upstream;
    private final Client client;
    private final AtomicBoolean started = new AtomicBoolean();

    public ConsoleBridge(Upstream upstream, Client client) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Starts copying console output to the client. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        upstream.start(new ConsoleSink() {
            @Override
            public void data(ByteBuffer bytes) throws IOException {
                client.send(bytes);
            }

            @Override
            public void ended(String reason) {
                client.close(NORMAL, reason);
            }
        });
    }

    /** Client input, in order; blocks while the console does not take it. */
    public void fromClient(ByteBuffer bytes) {
        try {
            upstream.write(bytes);
        } catch (IOException e) {
            upstream.close();
            client.close(INTERNAL_ERROR, "the console does not take input: " + e.getMessage());
        }
    }

    /** The client's WebSocket closed or failed: let go of the console, so the next session can have it. */
    public void clientClosed() {
        upstream.close();
    }
}
