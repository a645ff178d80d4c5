package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one disk's chunks over TCP: a virtual thread per connection, pipelined requests, typed
 * error replies. A connection that sends a malformed frame is closed with one log line; other
 * connections are unaffected. The server does not own the store: close the store after the server.
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkServer.class);
    private static final long POOL_RETAINED_BYTES = 64L << 20;
    /** Bytes of requests in flight across all connections; each one is also capped on its own. */
    static final int SERVER_INFLIGHT_BUDGET_BYTES = 256 << 20;

    private final ServerSocketChannel server;
    private final InetSocketAddress address;
    private final FrameCodec codec;
    private final BufferPool pool = new BufferPool(POOL_RETAINED_BYTES);
    private final RequestHandler handler;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("chunk-server-", 0).factory());
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore inflight = new Semaphore(SERVER_INFLIGHT_BUDGET_BYTES);
    private volatile boolean closed;

    private ChunkServer(ChunkOperations store, ServerSocketChannel server) throws IOException {
        this.server = server;
        this.address = (InetSocketAddress) server.getLocalAddress();
        this.codec = new FrameCodec(store.chunkSize());
        this.handler = new RequestHandler(store, pool);
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one, see {@link #address()}) and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ChunkServer start(ChunkOperations store, String host, int port) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(host, "host");
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.bind(new InetSocketAddress(host, port));
            ChunkServer s = new ChunkServer(store, ch);
            s.executor.execute(s::acceptLoop);
            log.info("chunk server listening on {}", s.address);
            return s;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return address;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.error("accept on {} failed; server stops accepting", address, e);
                }
                return;
            }
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ServerConnection conn = new ServerConnection(ch, codec, pool, handler, executor, inflight);
                connections.add(conn);
                if (closed) {
                    conn.close(); // raced with close(), which may have missed it
                }
                // A platform thread reads each connection: a busy connection's reader blocks and
                // wakes thousands of times a second, and a virtual thread pays a trip through the
                // JDK's poller and a carrier hand-off for each (ADR 0013). Requests still get
                // virtual threads.
                Thread.ofPlatform().daemon().name("chunk-server-" + ch.getRemoteAddress()).start(() -> {
                    try {
                        conn.run();
                    } finally {
                        connections.remove(conn);
                    }
                });
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    /** Stops accepting, closes every connection and waits for requests in progress to finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        connections.forEach(ServerConnection::close);
        executor.close();
        log.info("chunk server on {} stopped", address);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                log.debug("close failed", e);
            }
        }
    }
}
