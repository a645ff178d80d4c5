package io.keel.node.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The embedded default cluster behind {@code keel up}: N real node processes on 127.0.0.1 with
 * directory-backed disks under one data folder. The first {@code up} bootstraps node 1, joins
 * the others with the join token and creates the storage cluster; later ones start whatever is
 * not running and keep all state.
 */
public final class EmbeddedCluster {
    public static final String USER = "superadmin";
    public static final String STORAGE_CLUSTER = "keel";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final List<EmbeddedNode> nodes;
    private final NodeLauncher launcher;
    private final String detectionTime;
    private final String gracePeriod;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EmbeddedCluster(Path dataDir, List<EmbeddedNode> nodes, NodeLauncher launcher, String detectionTime) {
        this(dataDir, nodes, launcher, detectionTime, "5m");
    }

    /** {@code gracePeriod}: how long a missing chunk service is waited for before its data is rebuilt. */
    public EmbeddedCluster(Path dataDir, List<EmbeddedNode> nodes, NodeLauncher launcher, String detectionTime,
            String gracePeriod) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
        this.nodes = List.copyOf(nodes);
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.detectionTime = Objects.requireNonNull(detectionTime, "detectionTime");
        this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (this.nodes.isEmpty()) {
            throw new IllegalArgumentException("an embedded cluster needs at least one node");
        }
    }

    /**
     * Nodes named node1..nodeN with API ports apiBase.., Raft ports raftBase.., NBD ports nbdBase..,
     * iSCSI ports iscsiBase..
     */
    public static List<EmbeddedNode> layout(Path dataDir, int count, int apiBase, int raftBase, int nbdBase,
            int iscsiBase) {
        List<EmbeddedNode> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(new EmbeddedNode("node" + i, dataDir.toAbsolutePath().resolve("node" + i),
                    apiBase + i - 1, raftBase + i - 1, nbdBase + i - 1, iscsiBase + i - 1, i - 1));
        }
        return list;
    }

    public List<EmbeddedNode> nodes() {
        return nodes;
    }

    /**
     * The QEMU processes of this cluster's VMs: those whose sockets are under a node's directory.
     * They outlive the nodes by design (ADR 0018), so they are found by their command line.
     */
    public List<ProcessHandle> runningVms() {
        List<String> dirs = nodes.stream().map(n -> n.dir().toAbsolutePath() + "/").toList();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> java.util.Arrays.stream(a)
                        .anyMatch(arg -> dirs.stream().anyMatch(arg::contains))).orElse(false))
                .toList();
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean initialised() {
        return Files.exists(stateFile());
    }

    Path stateFile() {
        return dataDir.resolve("cluster.json");
    }

    public Path cliConfig() {
        return dataDir.resolve("cli.json");
    }

    public String password() throws IOException {
        return Files.readString(nodes.getFirst().dir().resolve("data").resolve("initial-superadmin-password"),
                StandardCharsets.UTF_8).strip();
    }

    /** Brings the cluster up; returns a session logged in as superadmin on node 1. */
    public ApiSession up(PrintWriter progress) throws IOException, TimeoutException {
        Files.createDirectories(dataDir);
        if (initialised()) {
            for (EmbeddedNode n : nodes) {
                if (n.process().isEmpty()) {
                    progress.println("starting " + n.name() + " ...");
                    start(n, List.of());
                }
            }
            for (EmbeddedNode n : nodes) {
                awaitHealthy(n);
            }
            ApiSession api = login(nodes.getFirst());
            awaitQuorum(api, Math.min(nodes.size(), METADATA_SERVICES));
            saveCliConfig(api);
            return api;
        }
        EmbeddedNode first = nodes.getFirst();
        progress.println("bootstrapping " + first.name() + " ...");
        start(first, List.of("--bootstrap"));
        awaitHealthy(first);
        ApiSession api = login(first);
        String token = api.get("/api/v1/join-token").body().path("token").asText();
        List<EmbeddedNode> others = nodes.subList(1, nodes.size());
        for (EmbeddedNode n : others) {
            progress.println("joining " + n.name() + " ...");
            start(n, List.of("--join", first.apiAddress(), "--token", token));
        }
        for (EmbeddedNode n : others) {
            awaitHealthy(n);
        }
        Poll.until(START_TIMEOUT, "all " + nodes.size() + " nodes to be registered and heard from",
                () -> unassigned(api) == nodes.size());
        progress.println("creating storage cluster '" + STORAGE_CLUSTER + "' ...");
        ApiSession.Reply created = api.post("/api/v1/cluster", Map.of("name", STORAGE_CLUSTER,
                "nodes", nodes.stream().map(EmbeddedNode::name).toList()));
        if (!created.ok()) {
            throw new IOException("creating the storage cluster failed: " + created.message());
        }
        awaitQuorum(api, Math.min(nodes.size(), METADATA_SERVICES));
        ObjectNode state = json.createObjectNode();
        state.put("storageCluster", STORAGE_CLUSTER).put("api", first.apiUrl()).put("user", USER);
        var list = state.putArray("nodes");
        for (EmbeddedNode n : nodes) {
            list.addObject().put("name", n.name()).put("apiPort", n.apiPort()).put("raftPort", n.raftPort())
                    .put("nbdPort", n.nbdPort()).put("iscsiPort", n.iscsiPort())
                    .put("s3PortOffset", n.s3PortOffset());
        }
        json.writeValue(stateFile().toFile(), state);
        saveCliConfig(api);
        return api;
    }

    public void start(EmbeddedNode n, List<String> extraArgs) throws IOException {
        n.writeConfig(detectionTime, gracePeriod);
        for (String d : EmbeddedNode.DISKS) {
            Files.createDirectories(n.dir().resolve("disks").resolve(d));
        }
        List<String> args = new ArrayList<>(List.of("--config", n.configFile().toString()));
        args.addAll(extraArgs);
        Process p = launcher.start(args, n.dir(), n.outputFile(), n.netns());
        n.recordPid(p.pid());
    }

    public void awaitHealthy(EmbeddedNode n) throws IOException, TimeoutException {
        ApiSession probe = new ApiSession(n.apiUrl());
        try {
            Poll.until(START_TIMEOUT, n.name() + " to answer on " + n.apiUrl(),
                    () -> probe.healthy() || n.process().isEmpty());
        } catch (TimeoutException e) {
            throw new TimeoutException(e.getMessage() + "; its last output:\n" + n.outputTail(20));
        }
        if (n.process().isEmpty() && !probe.healthy()) {
            throw new IOException(n.name() + " exited during start; its last output:\n" + n.outputTail(20));
        }
    }

    private ApiSession login(EmbeddedNode n) throws IOException {
        ApiSession api = new ApiSession(n.apiUrl());
        ApiSession.Reply r = api.login(USER, password());
        if (!r.ok()) {
            throw new IOException("login to " + n.name() + " failed: " + r.message());
        }
        return api;
    }

    /**
     * Metadata services the nodes get on their own: the first three to join take a metadata disk
     * role (RoleAssigner), later ones only storage, so a cluster of four or more has three.
     */
    private static final int METADATA_SERVICES = 3;

    private void awaitQuorum(ApiSession api, int members) throws TimeoutException {
        Poll.until(START_TIMEOUT, members + " metadata members in quorum", () -> {
            try {
                JsonNode m = api.get("/api/v1/cluster").body().path("metadata");
                return m.path("total").asInt() == members && m.path("up").asInt() == members;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
    }

    private static int unassigned(ApiSession api) {
        try {
            ApiSession.Reply r = api.get("/api/v1/nodes");
            if (!r.ok()) return -1;
            int n = 0;
            for (JsonNode v : r.body()) {
                if ("UNASSIGNED".equals(v.path("status").asText())) n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The CLI's saved login, so that {@code ./keel node list} works right after {@code ./keel up}. */
    private void saveCliConfig(ApiSession api) throws IOException {
        ObjectNode cli = json.createObjectNode();
        cli.put("api", api.baseUrl()).put("token", api.token()).put("username", USER).put("insecure", false);
        Path f = cliConfig();
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        json.writeValue(f.toFile(), cli);
    }

    /** SIGTERM to every node, then SIGKILL to any that has not stopped within the grace period. */
    public void down(PrintWriter progress, Duration grace) throws IOException {
        List<ProcessHandle> running = new ArrayList<>();
        for (EmbeddedNode n : nodes) {
            n.process().ifPresent(p -> {
                progress.println("stopping " + n.name() + " (pid " + p.pid() + ") ...");
                p.destroy();
                running.add(p);
            });
        }
        for (ProcessHandle p : running) {
            try {
                p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                progress.println("pid " + p.pid() + " did not stop in " + grace.toSeconds() + " s: killing it");
                p.destroyForcibly();
            }
        }
        for (EmbeddedNode n : nodes) {
            n.forgetPid();
        }
    }
}
