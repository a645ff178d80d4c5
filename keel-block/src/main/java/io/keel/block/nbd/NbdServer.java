package io.keel.block.nbd;

import io.keel.block.BlockExports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NBD server (fixed newstyle handshake, simple replies) serving {@link BlockExports} by export
 * name. One virtual thread accepts; each connection gets a virtual thread, plus one per request in
 * flight. {@link #close()} stops accepting and drops every session.
 *
 * <p>At most {@link NbdServerOptions#maxConnections()} connections are open at once; one more is
 * closed as soon as it is accepted. A watchdog closes connections whose handshake has waited on
 * the client for {@link NbdServerOptions#handshakeTimeout()}; transmission is never timed out.
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NbdServer.class);
    private static final long CLOSE_WAIT_MS = 10_000;

    private final ServerSocketChannel listener;
    private final BlockExports exports;
    private final NbdServerOptions options;
    private final InetSocketAddress address;
    private final Map<NbdConnection, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread acceptor;
    private final ScheduledExecutorService watchdog;
    private volatile boolean closed;

    private NbdServer(ServerSocketChannel listener, BlockExports exports, NbdServerOptions options)
            throws IOException {
        this.listener = listener;
        this.exports = exports;
        this.options = options;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.acceptor = Thread.ofVirtual().name("nbd-accept-" + address.getPort()).unstarted(this::acceptLoop);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("nbd-watchdog-" + address.getPort()).factory());
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving with default options. */
    public static NbdServer start(String host, int port, BlockExports exports) throws IOException {
        return start(host, port, exports, NbdServerOptions.defaults());
    }

    public static NbdServer start(String host, int port, BlockExports exports, NbdServerOptions options)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(options, "options");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(host, port), 128);
            NbdServer server = new NbdServer(listener, exports, options);
            server.acceptor.start();
            log.info("nbd server listening on {}", server.address);
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** The port actually bound. */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Connections currently open, in handshake or transmission. */
    public int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel socket;
            try {
                socket = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // E.g. out of file descriptors: back off instead of spinning, keep serving the rest.
                log.warn("nbd accept on {} failed: {}", address, e.toString());
                sleepQuietly(100);
                continue;
            }
            serve(socket);
        }
    }

    private void serve(SocketChannel socket) {
        // Only this thread adds connections, so the count cannot grow between check and add.
        if (connections.size() >= options.maxConnections()) {
            log.warn("nbd: closing connection from {}: {} connections are open, the limit", remote(socket),
                    options.maxConnections());
            closeQuietly(socket);
            return;
        }
        String who;
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            who = ids.incrementAndGet() + "@" + socket.getRemoteAddress();
        } catch (IOException e) {
            log.debug("nbd: dropping connection that failed setup: {}", e.toString());
            closeQuietly(socket);
            return;
        }
        NbdConnection connection = new NbdConnection(socket, socket, exports, options, who);
        // A platform thread reads each connection, for the reason the chunk server's readers are
        // (keel-storage's ChunkServer): a virtual one pays a poller round trip per blocking read.
        Thread thread = Thread.ofPlatform().daemon().name("nbd-" + who).unstarted(() -> {
            try {
                connection.run();
            } finally {
                connections.remove(connection);
            }
        });
        connections.put(connection, thread);
        if (closed) {
            // Lost the race with close(): it may not have seen this connection.
            connections.remove(connection);
            closeQuietly(socket);
            return;
        }
        thread.start();
        watch(connection, options.handshakeTimeout().toNanos());
    }

    private void watch(NbdConnection connection, long delayNanos) {
        try {
            watchdog.schedule(() -> checkHandshake(connection), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The server is closing and closes the connection itself.
        }
    }

    private void checkHandshake(NbdConnection connection) {
        long stalled = connection.handshakeWatch().stalledNanos(System.nanoTime());
        if (stalled < 0) {
            return; // in transmission, or gone
        }
        long timeout = options.handshakeTimeout().toNanos();
        if (stalled >= timeout) {
            log.info("nbd {}: closing, the handshake waited {} ms on the client (timeout {} ms)", connection.who(),
                    TimeUnit.NANOSECONDS.toMillis(stalled), options.handshakeTimeout().toMillis());
            connection.close();
        } else {
            watch(connection, timeout - stalled);
        }
    }

    private static String remote(SocketChannel socket) {
        try {
            return String.valueOf(socket.getRemoteAddress());
        } catch (IOException e) {
            return "an unknown peer";
        }
    }

    /** Stops accepting, closes every connection, and waits (bounded) for their threads to finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        watchdog.shutdownNow();
        connections.keySet().forEach(NbdConnection::close);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        join(acceptor, deadline);
        for (Thread t : connections.values()) {
            join(t, deadline);
        }
        if (!connections.isEmpty()) {
            log.warn("nbd server on {}: {} connections still closing", address, connections.size());
        }
        log.info("nbd server on {} closed", address);
    }

    private static void join(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            t.join(java.time.Duration.ofNanos(left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing is best effort.
        }
    }

    @Override
    public String toString() {
        return "NbdServer[" + address + "]";
    }
}
