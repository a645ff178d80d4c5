package io.keel.node.compute;

import io.keel.block.BlockDevice;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QEMU's migration stream between a Unix socket and a volume (ADR 0021). QEMU 7.2 has no
 * {@code file:} URI, and handing it a file descriptor needs SCM_RIGHTS, which Java's Unix sockets
 * cannot send; so the agent listens (save) or connects (restore) on a socket in the VM's runtime
 * directory and copies between it and the volume, counting the bytes itself.
 */
final class StateStream {
    static final int BUFFER = 4 << 20;

    private StateStream() {}

    /** Listens on {@code socket}; the first connection's bytes are written to {@code dev} from offset 0. */
    static Receiver receive(Path socket, BlockDevice dev) throws IOException {
        Objects.requireNonNull(dev, "dev");
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Receiver r = new Receiver(socket, server);
        Thread.ofVirtual().name("vm-state-save").start(() -> r.copy(dev));
        return r;
    }

    /** Connects to QEMU's incoming socket and sends the first {@code bytes} bytes of {@code dev}. */
    static void send(BlockDevice dev, long bytes, Path socket) throws IOException {
        if (bytes > dev.size()) {
            throw new IOException("the saved state (" + bytes + " bytes) is larger than its volume (" + dev.size()
                    + " bytes)");
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long offset = 0;
            while (offset < bytes) {
                buf.clear().limit((int) Math.min(BUFFER, bytes - offset));
                dev.read(offset, buf);
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                offset += buf.limit();
            }
        }
    }

    /** The receiving end of a save: bytes so far, a failure, and the total once QEMU closed the stream. */
    static final class Receiver implements AutoCloseable {
        private final Path socket;
        private final ServerSocketChannel server;
        private final AtomicLong bytes = new AtomicLong();
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private volatile SocketChannel client;

        private Receiver(Path socket, ServerSocketChannel server) {
            this.socket = socket;
            this.server = server;
        }

        Path socket() {
            return socket;
        }

        long bytes() {
            return bytes.get();
        }

        Optional<IOException> failure() {
            if (!done.isCompletedExceptionally()) {
                return Optional.empty();
            }
            try {
                done.join();
                return Optional.empty();
            } catch (RuntimeException e) {
                Throwable c = e.getCause();
                return Optional.of(c instanceof IOException io ? io : new IOException(String.valueOf(c), c));
            }
        }

        /** The total, once QEMU has closed its end (it does once the save completed). */
        long await(Duration timeout) throws IOException, InterruptedException {
            try {
                return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("QEMU did not close the state stream within " + timeout.toSeconds() + " s");
            }
        }

        private void copy(BlockDevice dev) {
            try (SocketChannel ch = server.accept()) {
                client = ch;
                ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
                long offset = 0;
                boolean eof = false;
                while (!eof) {
                    buf.clear();
                    while (buf.hasRemaining()) {
                        if (ch.read(buf) < 0) {
                            eof = true;
                            break;
                        }
                    }
                    buf.flip();
                    int n = buf.remaining();
                    if (n == 0) {
                        continue;
                    }
                    if (offset + n > dev.size()) {
                        throw new IOException("the saved state is larger than its volume (" + dev.size() + " bytes)");
                    }
                    dev.write(offset, buf, false);
                    offset += n;
                    bytes.set(offset);
                }
                done.complete(offset);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                SocketChannel c = client;
                if (c != null) {
                    c.close();
                }
                server.close();
            } finally {
                Files.deleteIfExists(socket);
            }
        }
    }
}
