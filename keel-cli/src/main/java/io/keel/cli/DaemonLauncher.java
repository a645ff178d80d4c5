package io.keel.cli;

/** Runs the node daemon: {@code keel node} without a client subcommand hands its arguments here. */
public interface DaemonLauncher {
    int run(String[] args);
}
