package io.keel.api.console;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * QEMU's console socket on this node (a {@code -chardev socket} server, or {@code -vnc unix:}).
 * One virtual thread reads it; writes block in the caller, so a console that stops reading stops
 * the client's WebSocket from being read too.
 */
public final class UnixUpstream implements Upstream {
    static final int READ_BUFFER = 16 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final AutoCloseable lease;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private UnixUpstream(Path socket, SocketChannel channel, AutoCloseable lease) {
        this.socket = socket;
        this.channel = channel;
        this.lease = lease;
    }

    /**
     * Connects to {@code socket}; {@code lease} (the console lock, or a no-op) is released on close,
     * and at once if the connect fails.
     */
    public static UnixUpstream connect(Path socket, AutoCloseable lease) throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(lease, "lease");
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new UnixUpstream(socket, ch, lease);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            closeQuietly(lease);
            throw e;
        }
    }

    @Override
    public void start(ConsoleSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        Thread.ofVirtual().name("console-" + socket.getFileName()).start(() -> pump(sink));
    }

    private void pump(ConsoleSink sink) {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        String reason = "the console closed";
        try {
            while (channel.read(buffer.clear()) >= 0) {
                sink.data(buffer.flip());
            }
        } catch (ClosedChannelException e) {
            reason = "detached";
        } catch (IOException e) {
            reason = closed.get() ? "detached" : "console connection failed: " + e.getMessage();
        } finally {
            close();
            sink.ended(reason);
        }
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(channel);
            closeQuietly(lease);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // Closing a socket whose peer is gone: nothing left to do.
        }
    }
}
