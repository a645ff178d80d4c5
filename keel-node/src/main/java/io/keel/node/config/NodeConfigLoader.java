package io.keel.node.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.compute.qemu.AcceleratorMode;
import io.keel.node.inventory.DirectoryDisk;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads the node's YAML file and lays the command-line flags over it. */
public final class NodeConfigLoader {

    /** The YAML file's shape: every field optional, unknown fields refused so that typos show. */
    record FileConfig(
            String name,
            String dataDir,
            String bindAddress,
            String advertiseAddress,
            Integer apiPort,
            Integer raftPort,
            Boolean tls,
            String heartbeatInterval,
            String detectionTime,
            List<DiskEntry> disks,
            String superadminPasswordFile,
            StorageEntry storage,
            ComputeEntry compute,
            IscsiEntry iscsi,
            S3Entry s3) {}

    /** {@code portOffset}: added to the S3 cluster's ports on this node (several nodes on one host). */
    record S3Entry(Integer portOffset) {}

    /** {@code port}: where the node's iSCSI portals listen; 0 turns the target off. */
    record IscsiEntry(Integer port) {}

    /** {@code accelerator}: auto, kvm or tcg. */
    record ComputeEntry(String accelerator) {}

    record DiskEntry(String id, String path) {}

    /** Rates are bytes per second with an optional K/M/G suffix ("200M"). */
    record StorageEntry(Integer nbdPort, String gracePeriod, String rebuildRate, String scrubInterval,
            String scrubRate, String diskReserve) {}

    /** Flags from the command line; null means "not given". */
    public record Overrides(
            String name,
            Path dataDir,
            String bindAddress,
            String advertiseAddress,
            Integer apiPort,
            Integer raftPort,
            Boolean tls,
            String heartbeatInterval,
            String detectionTime,
            List<String> disks,
            Path superadminPasswordFile,
            Integer nbdPort,
            String gracePeriod) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null, null, null, List.of(), null, null, null);
        }
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public NodeConfig load(Path file, Overrides flags) throws IOException {
        Objects.requireNonNull(flags, "flags");
        FileConfig f = file == null ? emptyFile() : read(file);
        Path base = file == null ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();

        String name = first(flags.name(), f.name(), defaultHostname());
        Path dataDir = flags.dataDir() != null ? flags.dataDir()
                : f.dataDir() != null ? base.resolve(f.dataDir()) : Path.of("/var/lib/keel");
        String bind = first(flags.bindAddress(), f.bindAddress(), "0.0.0.0");
        String advertise = first(flags.advertiseAddress(), f.advertiseAddress(),
                "0.0.0.0".equals(bind) ? defaultAddress() : bind);
        int apiPort = first(flags.apiPort(), f.apiPort(), NodeConfig.DEFAULT_API_PORT);
        int raftPort = first(flags.raftPort(), f.raftPort(), NodeConfig.DEFAULT_RAFT_PORT);
        boolean tls = first(flags.tls(), f.tls(), false);
        var heartbeat = Durations.parse(first(flags.heartbeatInterval(), f.heartbeatInterval(),
                Durations.format(NodeConfig.DEFAULT_HEARTBEAT_INTERVAL)));
        var detection = Durations.parse(first(flags.detectionTime(), f.detectionTime(),
                Durations.format(NodeConfig.DEFAULT_DETECTION_TIME)));

        List<DirectoryDisk> disks = new ArrayList<>();
        if (f.disks() != null) {
            for (DiskEntry d : f.disks()) {
                if (d.id() == null || d.path() == null) {
                    throw new IllegalArgumentException("every entry under 'disks' needs an id and a path");
                }
                disks.add(new DirectoryDisk(d.id(), base.resolve(d.path()).toAbsolutePath()));
            }
        }
        for (String spec : flags.disks()) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--disk takes ID=PATH, got '" + spec + "'");
            }
            disks.add(new DirectoryDisk(spec.substring(0, eq), Path.of(spec.substring(eq + 1)).toAbsolutePath()));
        }
        long distinct = disks.stream().map(DirectoryDisk::id).distinct().count();
        if (distinct != disks.size()) {
            throw new IllegalArgumentException("disk ids must be unique: " + disks.stream().map(DirectoryDisk::id).toList());
        }
        Path passwordFile = flags.superadminPasswordFile() != null ? flags.superadminPasswordFile()
                : f.superadminPasswordFile() != null ? base.resolve(f.superadminPasswordFile()) : null;
        return new NodeConfig(name, dataDir.toAbsolutePath(), bind, advertise, apiPort, raftPort, tls,
                heartbeat, detection, disks, passwordFile, storage(f.storage(), flags), compute(f.compute()),
                f.iscsi() == null || f.iscsi().port() == null ? NodeConfig.DEFAULT_ISCSI_PORT : f.iscsi().port(),
                f.s3() == null || f.s3().portOffset() == null ? 0 : f.s3().portOffset());
    }

    private static StorageConfig storage(StorageEntry s, Overrides flags) {
        StorageConfig d = StorageConfig.defaults();
        StorageEntry f = s == null ? new StorageEntry(null, null, null, null, null, null) : s;
        return new StorageConfig(
                first(flags.nbdPort(), f.nbdPort(), d.nbdPort()),
                Durations.parse(first(flags.gracePeriod(), f.gracePeriod(), Durations.format(d.gracePeriod()))),
                f.rebuildRate() == null ? d.rebuildBytesPerSecond() : rate("storage.rebuildRate", f.rebuildRate()),
                f.scrubInterval() == null ? d.scrubInterval() : Durations.parse(f.scrubInterval()),
                f.scrubRate() == null ? d.scrubBytesPerSecond() : rate("storage.scrubRate", f.scrubRate()),
                f.diskReserve() == null ? d.diskReserveBytes() : rate("storage.diskReserve", f.diskReserve()));
    }

    private static ComputeConfig compute(ComputeEntry c) {
        if (c == null || c.accelerator() == null) {
            return ComputeConfig.defaults();
        }
        try {
            return new ComputeConfig(AcceleratorMode.parse(c.accelerator()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compute." + e.getMessage());
        }
    }

    /** "200M" → 200 MiB; plain numbers are bytes (also used for sizes such as the disk reserve). */
    static long rate(String what, String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a positive byte rate such as 200M, got '" + text + "'");
        }
    }

    private FileConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("config file " + file + " does not exist");
        }
        try {
            FileConfig f = yaml.readValue(file.toFile(), FileConfig.class);
            return f == null ? emptyFile() : f;
        } catch (UnrecognizedPropertyException e) {
            throw new IOException("config file " + file + ": unknown setting '" + e.getPropertyName()
                    + "'; known settings: " + e.getKnownPropertyIds(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("config file " + file + " is not valid YAML for a node: " + e.getOriginalMessage(), e);
        }
    }

    private static FileConfig emptyFile() {
        return new FileConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T c : candidates) {
            if (c != null) return c;
        }
        throw new IllegalStateException("no default");
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String defaultAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
