package io.keel.node.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of the embedded cluster: its folder, ports, config file and process. {@code host} is
 * the address the others and clients reach it on; {@code netns}, when not null, the network
 * namespace its process runs in (partition tests, see the testkit's NetnsLab): it then listens on
 * every address of its namespace (its own, loopback for the NBD exports its QEMUs use, and a
 * virtual IP it may take) and advertises {@code host}.
 */
public record EmbeddedNode(String name, Path dir, int apiPort, int raftPort, int nbdPort, String host, String netns,
        int iscsiPort, int s3PortOffset) {
    public static final List<String> DISKS = List.of("d0", "d1", "d2");
    /** A JVM option on every embedded node's command line, which tells its process from a reused pid. */
    static final String PROCESS_MARKER = "-Dkeel.embedded.node=true";

    public EmbeddedNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(host, "host");
    }

    /** A node on the loopback address of this machine, as {@code keel up} makes them. */
    public EmbeddedNode(String name, Path dir, int apiPort, int raftPort, int nbdPort, int iscsiPort,
            int s3PortOffset) {
        this(name, dir, apiPort, raftPort, nbdPort, "127.0.0.1", null, iscsiPort, s3PortOffset);
    }

    public String apiUrl() {
        return "http://" + host + ":" + apiPort;
    }

    public String apiAddress() {
        return host + ":" + apiPort;
    }

    public Path configFile() {
        return dir.resolve("node.yaml");
    }

    public Path outputFile() {
        return dir.resolve("node.out");
    }

    Path pidFile() {
        return dir.resolve("node.pid");
    }

    /** Written once; later runs keep the administrator's edits. */
    void writeConfig(String detectionTime, String gracePeriod) throws IOException {
        if (Files.exists(configFile())) {
            // Written before nodes served iSCSI: without its own port every node would take 3260.
            String y = Files.readString(configFile(), StandardCharsets.UTF_8);
            if (!y.contains("\niscsi:")) {
                y = y + (y.endsWith("\n") ? "" : "\n") + "iscsi:\n  port: " + iscsiPort + "\n";
                Files.writeString(configFile(), y, StandardCharsets.UTF_8);
            }
            // Written before nodes served S3: on one host the gateways need ports of their own.
            if (!y.contains("\ns3:") && s3PortOffset != 0) {
                Files.writeString(configFile(), y + "s3:\n  portOffset: " + s3PortOffset + "\n", StandardCharsets.UTF_8);
            }
            return;
        }
        Files.createDirectories(dir);
        StringBuilder y = new StringBuilder()
                .append("# Node of the embedded cluster started by 'keel up'.\n")
                .append("name: ").append(name).append('\n')
                .append("dataDir: data\n")
                .append(netns == null ? "bindAddress: 127.0.0.1\n"
                        : "bindAddress: 0.0.0.0\nadvertiseAddress: " + host + "\n")
                .append("apiPort: ").append(apiPort).append('\n')
                .append("raftPort: ").append(raftPort).append('\n')
                .append("heartbeatInterval: 1s\n")
                .append("detectionTime: ").append(detectionTime).append('\n')
                .append("storage:\n")
                .append("  nbdPort: ").append(nbdPort).append('\n')
                .append("  gracePeriod: ").append(gracePeriod).append('\n')
                .append("iscsi:\n")
                .append("  port: ").append(iscsiPort).append('\n')
                .append("s3:\n")
                .append("  portOffset: ").append(s3PortOffset).append('\n')
                .append("disks:\n");
        for (String d : DISKS) {
            y.append("  - id: ").append(d).append("\n    path: disks/").append(d).append('\n');
        }
        Files.writeString(configFile(), y, StandardCharsets.UTF_8);
    }

    Optional<ProcessHandle> process() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(PROCESS_MARKER) || c.contains("io.keel.node.Main")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void recordPid(long pid) throws IOException {
        Files.writeString(pidFile(), Long.toString(pid));
    }

    void forgetPid() throws IOException {
        Files.deleteIfExists(pidFile());
    }

    /** The last lines the node printed, to explain a failed start. */
    public String outputTail(int lines) {
        try {
            List<String> all = Files.readAllLines(outputFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
