package io.keel.node;

import io.keel.cli.KeelCli;
import io.keel.node.daemon.DaemonCommand;
import io.keel.node.embedded.EmbeddedCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The one entry point of the {@code keel} program: {@code up}, {@code down} and {@code status}
 * manage the embedded cluster, {@code node} without a subcommand runs the daemon, everything
 * else is the command-line client.
 */
public final class Main {
    private static final Set<String> EMBEDDED = Set.of("up", "down", "status");

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code;
        if (args.length > 0 && EMBEDDED.contains(args[0])) {
            code = new EmbeddedCommand(out, err).run(args);
        } else {
            code = new KeelCli(new DaemonCommand(), out, err, System.getenv()).run(args);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}
