package io.keel.block.nbd;

import io.keel.block.DirectoryExports;
import java.nio.file.Path;

/** Ad-hoc launcher for manual runs and benchmarks: {@code NbdServeMain DIR PORT}; serves until killed. */
public final class NbdServeMain {
    private NbdServeMain() {}

    public static void main(String[] args) throws Exception {
        try (NbdServer server = NbdServer.start("127.0.0.1", Integer.parseInt(args[1]),
                new DirectoryExports(Path.of(args[0])))) {
            System.out.println("port " + server.port());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
