package io.keel.testkit;

import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.EmbeddedCluster;
import io.keel.node.embedded.EmbeddedNode;
import io.keel.node.embedded.NodeLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A real multi-process cluster for integration tests: the same code path as {@code keel up}, on
 * free ports in a temporary folder, with a short detection time so failure tests stay quick.
 */
public final class LocalCluster implements AutoCloseable {
    private final EmbeddedCluster cluster;
    private final StringWriter progress = new StringWriter();

    private LocalCluster(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    public static LocalCluster start(Path dir, int nodes, String detectionTime) throws IOException, TimeoutException {
        return start(dir, nodes, detectionTime, "5m");
    }

    /** {@code gracePeriod}: how long a lost chunk service is waited for before its data is rebuilt. */
    public static LocalCluster start(Path dir, int nodes, String detectionTime, String gracePeriod)
            throws IOException, TimeoutException {
        return start(dir, nodes, detectionTime, gracePeriod, launcher());
    }

    /**
     * Nodes as {@code keel up} starts them (optimising JIT, larger heaps), for benchmarks: tests'
     * nodes start with the quick JIT only, which would measure the compiler, not Keel.
     */
    public static LocalCluster startAsKeelUp(Path dir, int nodes, String detectionTime)
            throws IOException, TimeoutException {
        String cp = System.getProperty("keel.node.classpath");
        return start(dir, nodes, detectionTime, "5m",
                NodeLauncher.asKeelUp(cp == null ? System.getProperty("java.class.path") : cp));
    }

    private static LocalCluster start(Path dir, int nodes, String detectionTime, String gracePeriod,
            NodeLauncher launcher) throws IOException, TimeoutException {
        int[] ports = freePorts(nodes * 4);
        List<EmbeddedNode> layout = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            layout.add(new EmbeddedNode("node" + (i + 1), dir.resolve("node" + (i + 1)), ports[4 * i], ports[4 * i + 1],
                    ports[4 * i + 2], ports[4 * i + 3], i));
        }
        return start(dir, layout, detectionTime, gracePeriod, launcher);
    }

    /**
     * A cluster of one node per member of {@code lab}, each node process (and so its QEMUs) in its
     * member's network namespace, reached at the member's address. Every namespace has its own
     * ports, so all nodes use the same four.
     */
    public static LocalCluster start(Path dir, NetnsLab lab, String detectionTime) throws IOException, TimeoutException {
        int[] ports = freePorts(4);
        List<EmbeddedNode> layout = new ArrayList<>();
        for (NetnsLab.Member m : lab.members()) {
            layout.add(new EmbeddedNode(m.name(), dir.resolve(m.name()), ports[0], ports[1], ports[2], m.address(),
                    m.netns(), ports[3], 0));
        }
        return start(dir, layout, detectionTime, "5m", launcher());
    }

    private static LocalCluster start(Path dir, List<EmbeddedNode> layout, String detectionTime, String gracePeriod,
            NodeLauncher launcher) throws IOException, TimeoutException {
        int nodes = layout.size();
        LocalCluster lc = new LocalCluster(new EmbeddedCluster(dir, layout, launcher, detectionTime, gracePeriod));
        try {
            lc.cluster.up(new PrintWriter(lc.progress, true));
            // Members join the metadata group after up() returns; a test's first writes during that
            // reconfiguration would measure the join, not what the test is about.
            int members = Math.min(nodes, 3);
            ApiSession api = lc.api(1);
            io.keel.node.embedded.Poll.until(java.time.Duration.ofSeconds(60),
                    "a metadata group of " + members + " members in quorum", () -> {
                        try {
                            var m = api.get("/api/v1/cluster").body().path("metadata");
                            return m.path("total").asInt() == members && m.path("up").asInt() == members
                                    && m.path("quorum").asBoolean();
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (IOException | TimeoutException | RuntimeException e) {
            // No test ran, so no test saves the nodes' logs: keep them, and show where they went.
            String name = "start-failed-" + dir.getFileName();
            lc.close(name);
            e.addSuppressed(new IOException("the nodes' logs are in " + Path.of("target", "it-logs", name)
                    .toAbsolutePath() + "; node1's last lines:\n" + lc.node(1).outputTail(30)));
            throw e;
        }
        return lc;
    }

    public EmbeddedCluster embedded() {
        return cluster;
    }

    public EmbeddedNode node(int i) {
        return cluster.nodes().get(i - 1);
    }

    /** A session logged in as superadmin on node {@code i}. */
    public ApiSession api(int i) throws IOException {
        ApiSession s = new ApiSession(node(i).apiUrl());
        ApiSession.Reply r = s.login(EmbeddedCluster.USER, cluster.password());
        if (!r.ok()) {
            throw new IOException("login on node" + i + " failed: HTTP " + r.status() + " " + r.message());
        }
        return s;
    }

    /** What one in-process run of the CLI printed and returned. */
    public record CliResult(int code, String out, String err) {}

    /**
     * Runs the real CLI in this JVM, logged in the way {@code keel up} leaves it; {@code home} is
     * the HOME it sees. Daemon commands (keel up, keel node) are not for this: they fail with 1.
     */
    public CliResult cli(Path home, String... args) {
        return cliWithInput(home, "", args);
    }

    /** As {@link #cli(Path, String...)}, with {@code stdin} as the CLI's standard input. */
    public CliResult cliWithInput(Path home, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new io.keel.cli.KeelCli(a -> 1, new PrintWriter(out, true), new PrintWriter(err, true),
                java.util.Map.of("KEEL_CLI_CONFIG", cluster.cliConfig().toString(), "HOME", home.toString()),
                new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .run(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed that was not already durable. */
    public void kill9(int i) {
        ProcessHandle p = ProcessHandle.of(pid(i)).orElseThrow(() -> new IllegalStateException("node" + i + " is not running"));
        p.destroyForcibly();
        p.onExit().join();
    }

    public long pid(int i) {
        try {
            return Long.parseLong(java.nio.file.Files.readString(node(i).dir().resolve("node.pid")).strip());
        } catch (IOException e) {
            throw new IllegalStateException("no pid file for node" + i, e);
        }
    }

    public void restart(int i) throws IOException, TimeoutException {
        cluster.start(node(i), List.of());
        cluster.awaitHealthy(node(i));
    }

    public Process launch(List<String> nodeArgs, Path workDir, Path output) throws IOException {
        return launcher().start(nodeArgs, workDir, output);
    }

    /** The packaged node (set by the build for integration tests), else this JVM's class path. */
    public static NodeLauncher launcher() {
        String cp = System.getProperty("keel.node.classpath");
        return NodeLauncher.forTests(cp == null ? System.getProperty("java.class.path") : cp);
    }

    /** Free ports are looked for here: below Linux's ephemeral range (32768-60999 by default). */
    private static final int PORTS_FROM = 23000;
    private static final int PORTS_TO = 32000;

    /**
     * {@code count} ports free now, below the kernel's ephemeral range. A port the kernel hands
     * out for port 0 could be handed out again, between this check and the node binding it, to
     * a chunk service or an outgoing connection of another node ("Address already in use" at a
     * node's start, seen with four nodes); ports outside that range are only ever taken on purpose.
     */
    public static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            int span = PORTS_TO - PORTS_FROM;
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
            int found = 0;
            for (int i = 0; i < span && found < count; i++) {
                int port = PORTS_FROM + (start + i) % span;
                try {
                    ServerSocket s = new ServerSocket();
                    sockets.add(s);
                    s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                    ports[found++] = port;
                } catch (IOException taken) {
                    // in use: try the next one
                }
            }
            if (found < count) {
                throw new IOException("only " + found + " of " + count + " ports free in " + PORTS_FROM + "-" + PORTS_TO);
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * Stops the nodes, then copies every node's output to {@code target/it-logs/<name>/} so a
     * failed run can be read after the test's temporary directory is gone.
     */
    public void close(String name) throws IOException {
        try {
            close();
        } finally {
            Path logs = Path.of("target", "it-logs", name);
            Files.createDirectories(logs);
            for (EmbeddedNode n : cluster.nodes()) {
                if (Files.exists(n.outputFile())) {
                    Files.copy(n.outputFile(), logs.resolve(n.name() + ".out"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            cluster.down(new PrintWriter(progress, true), Duration.ofSeconds(20));
        } finally {
            killVms();
        }
    }

    /**
     * VMs outlive their node agents by design (QEMU runs in a session of its own), so a test's VMs
     * are still running when its nodes are down: kill every QEMU whose sockets are under this
     * cluster's directories.
     */
    private void killVms() {
        cluster.runningVms().forEach(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
        });
    }
}
