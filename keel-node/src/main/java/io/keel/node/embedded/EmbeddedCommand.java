package io.keel.node.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel up | down | status}: the embedded cluster on this machine. */
public final class EmbeddedCommand {
    private final PrintWriter out;
    private final PrintWriter err;

    public EmbeddedCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public int run(String... args) {
        CommandLine cl = new CommandLine(new Root())
                .addSubcommand(new Up())
                .addSubcommand(new Down())
                .addSubcommand(new Status());
        cl.setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("error: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Command(name = "keel", description = "The embedded Keel cluster on this machine.")
    static final class Root {}

    static final int ISCSI_BASE = 3260;

    abstract static class Common {
        @Option(names = "--data", description = "data folder of the embedded cluster (default ./keel-data)")
        Path data = Path.of("keel-data");

        EmbeddedCluster cluster(int count, int apiBase, int raftBase, int nbdBase, String detection) throws IOException {
            return cluster(count, apiBase, raftBase, nbdBase, ISCSI_BASE, detection, "5m");
        }

        EmbeddedCluster cluster(int count, int apiBase, int raftBase, int nbdBase, int iscsiBase, String detection,
                String grace) throws IOException {
            Path state = data.resolve("cluster.json");
            List<EmbeddedNode> nodes;
            if (Files.exists(state)) {
                nodes = new ArrayList<>();
                for (JsonNode n : new ObjectMapper().readTree(state.toFile()).path("nodes")) {
                    nodes.add(new EmbeddedNode(n.path("name").asText(), data.toAbsolutePath().resolve(n.path("name").asText()),
                            n.path("apiPort").asInt(), n.path("raftPort").asInt(),
                            n.path("nbdPort").asInt(nbdBase + nodes.size()),
                            n.path("iscsiPort").asInt(iscsiBase + nodes.size()),
                            n.path("s3PortOffset").asInt(nodes.size())));
                }
            } else {
                nodes = EmbeddedCluster.layout(data, count, apiBase, raftBase, nbdBase, iscsiBase);
            }
            return new EmbeddedCluster(data, nodes, NodeLauncher.ofCurrentProcess(), detection, grace);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the embedded cluster (bootstrap it on first use), then print how to reach it.")
    final class Up extends Common implements Callable<Integer> {
        @Option(names = "--nodes", description = "number of nodes on first start (default 3, at most 9)")
        int count = 3;

        @Option(names = "--api-port", description = "API port of node 1; node N uses this + N - 1 (default 8888)")
        int apiBase = 8888;

        @Option(names = "--raft-port", description = "metadata port of node 1 (default 9880)")
        int raftBase = 9880;

        @Option(names = "--nbd-port", description = "NBD port of node 1; node N uses this + N - 1 (default 10809)")
        int nbdBase = 10809;

        @Option(names = "--iscsi-port", description = "iSCSI portal port of node 1; node N uses this + N - 1 (default 3260)")
        int iscsiBase = ISCSI_BASE;

        @Option(names = "--detection-time", description = "time without heartbeats before a node is Unhealthy (default 10s)")
        String detection = "10s";

        @Option(names = "--grace-period", description = "time a missing node's data is waited for before it is"
                + " rebuilt elsewhere, on first start (default 5m)")
        String grace = "5m";

        @Override
        public Integer call() throws Exception {
            if (count < 1 || count > 9) {
                err.println("error: --nodes must be 1-9, got " + count);
                return 2;
            }
            long t0 = System.nanoTime();
            EmbeddedCluster cluster = cluster(count, apiBase, raftBase, nbdBase, iscsiBase, detection, grace);
            boolean fresh = !cluster.initialised();
            ApiSession api = cluster.up(out);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("%nKeel is up: %d nodes, storage cluster '%s' (%s in %.1f s)%n", cluster.nodes().size(),
                    EmbeddedCluster.STORAGE_CLUSTER, fresh ? "created" : "resumed", seconds);
            out.println("  API and panel : " + api.baseUrl());
            out.println("  user          : " + EmbeddedCluster.USER);
            out.println("  password      : " + cluster.password());
            out.println("  data          : " + cluster.dataDir());
            out.println("Try './keel node list'. Stop with './keel down'; './keel up' again resumes with all state kept.");
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the embedded cluster's nodes (state is kept).")
    final class Down extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            EmbeddedCluster cluster = cluster(3, 8888, 9880, 10809, "10s");
            cluster.down(out, Duration.ofSeconds(30));
            out.println("Keel is down; './keel up' resumes it.");
            int vms = cluster.runningVms().size();
            if (vms > 0) {
                // VMs outlive their node agents (ADR 0018); say so, or the QEMUs look like leftovers.
                out.println(vms + " VM" + (vms == 1 ? " keeps" : "s keep") + " running: a node agent is not its VMs."
                        + " './keel up' manages them again; stop them with 'keel vm stop' first to stop them too.");
            }
            return 0;
        }
    }

    /** Health as the cluster itself reports it, from the first node that answers. */
    private void printHealth(EmbeddedCluster cluster) throws IOException {
        if (!Files.exists(cluster.cliConfig())) {
            return;
        }
        String token = new ObjectMapper().readTree(cluster.cliConfig().toFile()).path("token").asText(null);
        for (EmbeddedNode n : cluster.nodes()) {
            if (n.process().isEmpty()) {
                continue;
            }
            ApiSession.Reply r;
            try {
                r = new ApiSession(n.apiUrl(), token).get("/api/v1/nodes");
            } catch (IOException e) {
                continue;
            }
            if (!r.ok()) {
                out.println("(cannot read node health from " + n.name() + ": " + r.message() + ")");
                return;
            }
            out.printf("%nAs seen by %s:%n%-8s %-12s %s%n", n.name(), "NODE", "STATUS", "ROLES");
            for (JsonNode v : r.body()) {
                out.printf("%-8s %-12s %s%n", v.path("name").asText(), v.path("status").asText(), v.path("roles"));
            }
            return;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the embedded cluster's processes and node health.")
    final class Status extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            EmbeddedCluster cluster = cluster(3, 8888, 9880, 10809, "10s");
            if (!cluster.initialised()) {
                out.println("No embedded cluster in " + cluster.dataDir() + ": start one with './keel up'.");
                return 1;
            }
            out.printf("%-8s %-8s %-9s %s%n", "NODE", "PID", "PROCESS", "API");
            int running = 0;
            for (EmbeddedNode n : cluster.nodes()) {
                var p = n.process();
                if (p.isPresent()) running++;
                out.printf("%-8s %-8s %-9s %s%n", n.name(), p.map(h -> Long.toString(h.pid())).orElse("-"),
                        p.isPresent() ? "running" : "stopped", n.apiUrl());
            }
            out.printf("%d of %d node processes running.%n", running, cluster.nodes().size());
            printHealth(cluster);
            return running == cluster.nodes().size() ? 0 : 1;
        }
    }
}
