package io.keel.block.tools;

import io.keel.block.DirectoryExports;
import io.keel.block.nbd.NbdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ServeDirectory DIR PORT}: serves every raw file in DIR as an NBD export on 127.0.0.1
 * until stopped. For benchmarks against qemu-nbd on the same files (bench/nbd.sh) and for trying
 * the NBD server by hand.
 */
public final class ServeDirectory {
    private ServeDirectory() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: ServeDirectory DIR PORT (DIR must exist)");
            System.exit(2);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (NbdServer server = NbdServer.start("127.0.0.1", Integer.parseInt(args[1]), new DirectoryExports(Path.of(args[0])))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("serving " + args[0] + " over NBD on 127.0.0.1:" + server.port());
            stop.await();
        }
    }
}
