package io.keel.cli;

/**
 * Runs the node daemon. {@code keel node} followed by anything other than one of its subcommands
 * (or {@code --help}) hands every argument after {@code node}, unparsed, to {@link #run}.
 */
public interface DaemonLauncher {
    /** Runs the daemon with {@code args} (e.g. {@code --bootstrap --config x.yaml}); returns its exit code. */
    int run(String[] args);
}
