package io.keel.node.compute;

import io.keel.compute.qemu.VmLaunchSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Where each VM's sockets, log and pid file live: a directory per VM id under one root. The root
 * is the node's data directory when the socket paths fit in the 107 bytes a Unix socket allows,
 * else a short directory under /run (or the temporary directory when /run is not writable). The
 * choice is a pure function of the paths, so a restarted agent finds the same directories.
 */
public final class VmRuntimeDirs {
    /** Longest VM id ("m" + 15 hex digits) plus the longest file name, with separators. */
    private static final String PROBE = "/m000000000000000/serial.sock";

    private final Path root;

    public VmRuntimeDirs(Path dataDir, String nodeId) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(nodeId, "nodeId");
        this.root = choose(dataDir.toAbsolutePath().resolve("vms"), nodeId);
    }

    private static Path choose(Path preferred, String nodeId) {
        if (fits(preferred)) {
            return preferred;
        }
        Path run = Path.of("/run/keel", nodeId);
        if (Files.isWritable(Path.of("/run")) && fits(run)) {
            return run;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "keel-" + nodeId);
    }

    private static boolean fits(Path root) {
        return (root + PROBE).getBytes(StandardCharsets.UTF_8).length <= VmLaunchSpec.MAX_SOCKET_PATH_BYTES;
    }

    public Path root() {
        return root;
    }

    public VmRuntime of(String vmId) {
        return new VmRuntime(root.resolve(Objects.requireNonNull(vmId, "vmId")));
    }

    /** The directory, made private to the node's user: it holds the VM's console and control sockets. */
    public VmRuntime create(String vmId) throws IOException {
        VmRuntime r = of(vmId);
        Files.createDirectories(r.dir());
        Files.setPosixFilePermissions(r.dir(), PosixFilePermissions.fromString("rwx------"));
        return r;
    }
}
