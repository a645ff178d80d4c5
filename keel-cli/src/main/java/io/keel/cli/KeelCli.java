package io.keel.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/** TEMPORARY stub until the CLI lands. */
public final class KeelCli {
    private final DaemonLauncher daemon;

    public KeelCli(DaemonLauncher daemon, PrintWriter out, PrintWriter err, Map<String, String> env) {
        this.daemon = daemon;
    }

    public int run(String... args) {
        if (args.length > 0 && args[0].equals("node")) {
            return daemon.run(Arrays.copyOfRange(args, 1, args.length));
        }
        return 2;
    }
}
