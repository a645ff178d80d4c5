package io.keel.node.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of bridge-network NICs (ADR 0023): one tap device per NIC, made by the node and
 * put on the network's bridge before QEMU opens it, so QEMU needs no helper or scripts. Tap names
 * derive from the node, the VM id and the NIC slot, so a restarted agent finds and removes its own,
 * and the source and target of a migration between two nodes on one host (the embedded cluster)
 * never touch each other's.
 */
public final class HostTaps {
    private static final Logger log = LoggerFactory.getLogger(HostTaps.class);
    private static final String PREFIX = "kt";

    private final Path sysClassNet;
    private final String nodeId;

    /** @param sysClassNet where the host lists its interfaces ({@code /sys/class/net}) */
    public HostTaps(Path sysClassNet, String nodeId) {
        this.sysClassNet = Objects.requireNonNull(sysClassNet, "sysClassNet");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /** {@code kt<8 hex of the node and VM ids' hash>n<slot>}: 12 characters at most, within Linux's 15. */
    String tapName(String vmId, int slot) {
        return vmPrefix(vmId) + "n" + slot;
    }

    /** The kernel's counters of the NIC's tap (its {@code statistics} directory), which may not exist. */
    Path statistics(String vmId, int slot) {
        return sysClassNet.resolve(tapName(vmId, slot)).resolve("statistics");
    }

    private String vmPrefix(String vmId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((nodeId + "/" + vmId).getBytes(
                    StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes {@code tap} if it is missing and puts it, up, on {@code bridge}. Throws
     * IllegalArgumentException with the reason when the bridge is not on this node or the node may
     * not make interfaces.
     */
    void ensure(String tap, String bridge) {
        if (!Files.isDirectory(sysClassNet.resolve(bridge).resolve("bridge"))) {
            throw new IllegalArgumentException("bridge " + bridge + " does not exist on this node: every compute node"
                    + " needs it (e.g. 'ip link add " + bridge + " type bridge', with the uplink as a port)");
        }
        if (!Files.exists(sysClassNet.resolve(tap))) {
            ip("tuntap", "add", "dev", tap, "mode", "tap");
        }
        ip("link", "set", "dev", tap, "master", bridge);
        ip("link", "set", "dev", tap, "up");
    }

    void remove(String tap) {
        if (Files.exists(sysClassNet.resolve(tap))) {
            try {
                ip("link", "del", "dev", tap);
            } catch (IllegalArgumentException e) {
                log.warn("tap {} not removed: {}", tap, e.getMessage());
            }
        }
    }

    /** Removes every tap of the VM: its QEMU is gone from this node. */
    void removeAll(String vmId) {
        String prefix = vmPrefix(vmId) + "n";
        List<String> taps = new ArrayList<>();
        try (Stream<Path> all = Files.list(sysClassNet)) {
            all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).forEach(taps::add);
        } catch (IOException e) {
            return;
        }
        taps.forEach(this::remove);
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("'" + String.join(" ", cmd) + "' did not finish in 10 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalArgumentException("'" + String.join(" ", cmd) + "' failed: " + out
                        + (out.contains("Operation not permitted") ? " (bridge networks need the node to run as root"
                        + " or with CAP_NET_ADMIN)" : ""));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run 'ip' (Debian package iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted running " + String.join(" ", cmd), e);
        }
    }
}
