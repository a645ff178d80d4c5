package io.keel.api.console;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The console end of a bridge: QEMU's Unix socket on this node, or another node's console
 * WebSocket. Opened before the client's WebSocket upgrade, so a failure to reach the console is
 * an HTTP error the client can read rather than a closed WebSocket.
 */
public sealed interface Upstream extends AutoCloseable permits UnixUpstream, PeerUpstream {
    /** Starts delivering console output to {@code sink}; once only. */
    void start(ConsoleSink sink);

    /** Sends client input to the console, blocking until it is taken. */
    void write(ByteBuffer bytes) throws IOException;

    /** Closes the console side and releases what it holds; idempotent, never throws. */
    @Override
    void close();
}
