package io.keel.node.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts {@code keel node} processes with the same Java and class path as this process, detached
 * into their own session so that they outlive {@code keel up} and a closed terminal.
 */
public record NodeLauncher(String javaBinary, String classPath, List<String> jvmOptions) {
    public NodeLauncher {
        Objects.requireNonNull(javaBinary, "javaBinary");
        Objects.requireNonNull(classPath, "classPath");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The Vector API module lets erasure coding use the SIMD kernel (several times the scalar
     * one); only node processes get it, since the JVM warns about incubator modules on stderr and
     * CLI commands should print nothing they were not asked for.
     */
    private static final List<String> COMMON = List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "--add-modules=jdk.incubator.vector");

    /**
     * Nodes of {@code keel up}, the cluster people evaluate and benchmark: the optimising JIT
     * (the data path runs about a third faster with it) and room for buffers and caches. The
     * serial collector, because three nodes share a small machine and its pauses are short at
     * this heap size.
     */
    public static NodeLauncher ofCurrentProcess() {
        return asKeelUp(System.getProperty("java.class.path"));
    }

    /** Nodes started as {@code keel up} starts them, from {@code classPath}: what benchmarks measure. */
    public static NodeLauncher asKeelUp(String classPath) {
        return new NodeLauncher(javaPath(), classPath, concat(List.of("-Xms64m", "-Xmx1g"), COMMON));
    }

    /**
     * Nodes of integration tests: small heaps and the quick JIT only, since three nodes, their
     * tests and a build share two cores, and a test run is too short to repay optimising.
     */
    public static NodeLauncher forTests(String classPath) {
        return new NodeLauncher(javaPath(), classPath,
                concat(List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1"), COMMON));
    }

    private static String javaPath() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    public Process start(List<String> nodeArgs, Path workDir, Path output) throws IOException {
        return start(nodeArgs, workDir, output, null);
    }

    /**
     * As {@link #start(List, Path, Path)}, inside network namespace {@code netns} when it is not
     * null. {@code ip netns exec} execs the node in place, so the process started is the node's
     * (its pid is the one recorded), and the QEMUs it starts inherit the namespace.
     */
    public Process start(List<String> nodeArgs, Path workDir, Path output, String netns) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(javaBinary);
        // First, so it survives the truncation of long command lines (a class path of many jars
        // under a deep checkout passes 4 KiB) when a later run checks the pid is still a node.
        cmd.add(EmbeddedNode.PROCESS_MARKER);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("io.keel.node.Main");
        cmd.add("node");
        cmd.addAll(nodeArgs);
        Files.createDirectories(output.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }
}
