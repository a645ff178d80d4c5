package io.keel.node.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One node of the embedded cluster: its folder, ports, config file and process. */
public record EmbeddedNode(String name, Path dir, int apiPort, int raftPort, int nbdPort) {
    public static final List<String> DISKS = List.of("d0", "d1", "d2");
    /** A JVM option on every embedded node's command line, which tells its process from a reused pid. */
    static final String PROCESS_MARKER = "-Dkeel.embedded.node=true";

    public EmbeddedNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    public String apiAddress() {
        return "127.0.0.1:" + apiPort;
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
            return;
        }
        Files.createDirectories(dir);
        StringBuilder y = new StringBuilder()
                .append("# Node of the embedded cluster started by 'keel up'.\n")
                .append("name: ").append(name).append('\n')
                .append("dataDir: data\n")
                .append("bindAddress: 127.0.0.1\n")
                .append("apiPort: ").append(apiPort).append('\n')
                .append("raftPort: ").append(raftPort).append('\n')
                .append("heartbeatInterval: 1s\n")
                .append("detectionTime: ").append(detectionTime).append('\n')
                .append("storage:\n")
                .append("  nbdPort: ").append(nbdPort).append('\n')
                .append("  gracePeriod: ").append(gracePeriod).append('\n')
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
