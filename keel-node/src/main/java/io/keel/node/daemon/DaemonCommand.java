package io.keel.node.daemon;

import io.keel.cli.DaemonLauncher;
import io.keel.node.config.NodeConfig;
import io.keel.node.config.NodeConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel node [flags]}: runs the node daemon in the foreground until SIGTERM or SIGINT,
 * then stops cleanly (API closed, metadata service closed with its log flushed).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run the Keel node daemon (see 'keel node --help' for the client subcommands).")
public final class DaemonCommand implements DaemonLauncher {

    static final class Options {
        @Option(names = "--config", description = "YAML configuration file") Path config;
        @Option(names = "--bootstrap", description = "create a new cluster with this node as its management node") boolean bootstrap;
        @Option(names = "--join", paramLabel = "ADDRESS", description = "host:port of a management node's API to join") String join;
        @Option(names = "--token", description = "join token (see 'keel node token')") String token;
        @Option(names = "--name", description = "node name (default: host name)") String name;
        @Option(names = "--data-dir", description = "data directory (default /var/lib/keel)") Path dataDir;
        @Option(names = "--bind", description = "address to listen on") String bind;
        @Option(names = "--advertise", description = "address other nodes reach this one at") String advertise;
        @Option(names = "--api-port", description = "REST API and panel port (default 8888)") Integer apiPort;
        @Option(names = "--raft-port", description = "metadata service port (default 9880)") Integer raftPort;
        @Option(names = "--tls", description = "serve the API over HTTPS with a self-signed certificate") Boolean tls;
        @Option(names = "--heartbeat-interval", description = "e.g. 1s") String heartbeatInterval;
        @Option(names = "--detection-time", description = "time without heartbeats before a node is Unhealthy, e.g. 10s") String detectionTime;
        @Option(names = "--disk", paramLabel = "ID=PATH", description = "directory-backed disk (repeatable)") List<String> disks = new ArrayList<>();
        @Option(names = "--nbd-port", description = "NBD server port for volumes (default 10809, 0: off)") Integer nbdPort;
        @Option(names = "--grace-period", description = "time a missing chunk service is waited for before its data is rebuilt elsewhere (default 5m)") String gracePeriod;
        @Option(names = "--superadmin-password-file", description = "on --bootstrap: file with the superadmin password") Path passwordFile;
    }

    @Override
    public int run(String[] args) {
        Options o = new Options();
        CommandLine cl = new CommandLine(o);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("error: " + e.getMessage());
            cl.usage(System.err);
            return 2;
        }
        if (o.bootstrap && o.join != null) {
            System.err.println("error: --bootstrap and --join exclude each other");
            return 2;
        }
        if ((o.join == null) != (o.token == null)) {
            System.err.println("error: --join ADDRESS needs --token TOKEN, and --token needs --join");
            return 2;
        }
        NodeConfig config;
        try {
            config = new NodeConfigLoader().load(o.config, new NodeConfigLoader.Overrides(o.name, o.dataDir, o.bind,
                    o.advertise, o.apiPort, o.raftPort, o.tls, o.heartbeatInterval, o.detectionTime, o.disks,
                    o.passwordFile, o.nbdPort, o.gracePeriod));
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        LogSetup.daemon(config.dataDir().resolve("logs"));
        NodeDaemon.Entry entry = o.bootstrap ? new NodeDaemon.Entry.Bootstrap()
                : o.join != null ? new NodeDaemon.Entry.Join(o.join, o.token) : new NodeDaemon.Entry.Resume();
        NodeDaemon daemon = new NodeDaemon(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "keel-shutdown"));
        try {
            daemon.start(entry);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(DaemonCommand.class).error("node failed to start: {}", e.getMessage(), e);
            System.err.println("error: node failed to start: " + e.getMessage());
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
