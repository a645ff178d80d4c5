package io.keel.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test servers on 127.0.0.1, below Linux's ephemeral range (32768-60999 by default). A
 * port the kernel hands out ({@code new ServerSocket(0)}) is an ephemeral one, which any outgoing
 * connection may take between the test picking it and a server binding it, or while a stopped
 * member waits to restart on it: tests then failed with "Address already in use". Below that range
 * only servers bind, and each pick is checked to be free. (keel-testkit's {@code LocalCluster} uses
 * 23000-32000 for whole clusters; this range stays clear of it.)
 */
public final class TestPorts {
    static final int FROM = 20000;
    static final int TO = 23000;

    private TestPorts() {
    }

    /** A port of 127.0.0.1 free right now, not among {@code avoid} (ports already handed to this test). */
    public static int free(Collection<Integer> avoid) {
        int span = TO - FROM;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FROM + (start + i) % span;
            if (avoid.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // in use: try the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port of 127.0.0.1 in " + FROM + "-" + TO));
    }
}
