package io.keel.compute.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Readies a socket path for a QEMU about to listen on it. QEMU itself unlinks whatever is there,
 * which would silently take the socket from a QEMU still running the same VM; checking first turns
 * that into an error.
 */
final class SocketPaths {
    private SocketPaths() {
    }

    /**
     * Removes a stale socket file left by a QEMU that is gone.
     *
     * @throws IllegalStateException if something still accepts connections there
     */
    static void clearStale(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            return;
        }
        if (accepts(socket)) {
            throw new IllegalStateException("something already listens on " + socket
                    + ": is a QEMU for this VM still running?");
        }
        Files.deleteIfExists(socket);
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Non-blocking: a listener whose backlog is full is still a listener, and must not hang us.
            ch.configureBlocking(false);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
