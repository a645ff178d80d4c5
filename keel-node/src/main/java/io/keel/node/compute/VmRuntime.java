package io.keel.node.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** One VM's runtime directory: QMP, serial and VNC sockets, QEMU's log, and the pid of its QEMU. */
public record VmRuntime(Path dir) {
    public VmRuntime {
        Objects.requireNonNull(dir, "dir");
    }

    public Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    public Path serialSocket() {
        return dir.resolve("serial.sock");
    }

    /** QEMU's VNC server for the VM's display (ADR 0017): a Unix socket, reached only through the API. */
    public Path vncSocket() {
        return dir.resolve("vnc.sock");
    }

    public Path log() {
        return dir.resolve("qemu.log");
    }

    /** Everything the guest printed on its serial console, whether anyone was attached or not. */
    public Path serialLog() {
        return dir.resolve("serial.log");
    }

    /** Keeps the serial log from growing without bound: past {@code maxBytes} it becomes serial.log.1. */
    public void rotateSerialLog(long maxBytes) throws IOException {
        Path log = serialLog();
        if (Files.exists(log) && Files.size(log) > maxBytes) {
            Files.move(log, dir.resolve("serial.log.1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    /** Written after a start, so an agent started later can find and re-attach to the process. */
    public void recordPid(long pid) throws IOException {
        Path tmp = dir.resolve("qemu.pid.tmp");
        Files.writeString(tmp, Long.toString(pid) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, pidFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public OptionalLong recordedPid() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile(), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public void forgetPid() throws IOException {
        Files.deleteIfExists(pidFile());
    }

    /** Removes the directory and everything in it (the VM is gone from this node). */
    public void delete() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
