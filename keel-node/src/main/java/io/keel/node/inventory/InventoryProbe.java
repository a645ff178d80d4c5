package io.keel.node.inventory;

import io.keel.meta.cluster.Disk;
import io.keel.meta.cluster.Inventory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what this server has: CPU, memory, network interfaces and disks. Linux only; reads
 * {@code /proc} and {@code /sys} (roots injectable for tests) and never fails: what cannot be read
 * is reported as "unknown", 0 or absent, and logged at debug.
 *
 * <p>{@code cpuCores} counts the {@code processor} entries of {@code cpuinfo}, i.e. the machine's
 * logical CPUs, rather than {@link Runtime#availableProcessors()}, which shrinks with the cgroup
 * quota or affinity mask of the daemon's own process; the latter is only the fallback when
 * {@code cpuinfo} has no such entries. {@code memoryBytes} is {@code MemTotal}, 0 if unknown.
 */
public final class InventoryProbe {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryProbe.class);
    /** First match wins: x86 ("model name"), 32-bit ARM ("Processor"), MIPS ("cpu model"), POWER ("cpu"). */
    private static final List<String> CPU_MODEL_KEYS = List.of("model name", "Processor", "cpu model", "cpu");

    private final Path procRoot;
    private final Path sysRoot;
    private final Path rootFs;
    private final List<DirectoryDisk> directoryDisks;

    /** In production {@code Path.of("/proc")} and {@code Path.of("/sys")}. */
    public InventoryProbe(Path procRoot, Path sysRoot, List<DirectoryDisk> directoryDisks) {
        this(procRoot, sysRoot, Path.of("/"), directoryDisks);
    }

    /** {@code rootFs} is where {@code etc/os-release} is looked up; tests point it at a fixture. */
    InventoryProbe(Path procRoot, Path sysRoot, Path rootFs, List<DirectoryDisk> directoryDisks) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.rootFs = Objects.requireNonNull(rootFs, "rootFs");
        this.directoryDisks = List.copyOf(Objects.requireNonNull(directoryDisks, "directoryDisks"));
    }

    /**
     * Block disks (sorted by name) come first, then the configured directory disks in config order.
     * The accelerator is left out (null): the daemon adds the one it decided on, see
     * {@link Inventory#withAccelerator}.
     */
    public Inventory probe() {
        List<String> cpuinfo = SysFiles.lines(procRoot.resolve("cpuinfo"));
        List<Disk> disks = new ArrayList<>(BlockDisks.scan(procRoot, sysRoot));
        directoryDisks.forEach(d -> disks.add(directoryDisk(d)));
        return new Inventory(
                hostname(), os(), cpuModel(cpuinfo), cpuCores(cpuinfo), memoryBytes(), NetInterfaces.list(), disks,
                null);
    }

    /** The kernel's name first: {@code getLocalHost} may block on a DNS lookup of that very name. */
    private String hostname() {
        Optional<String> kernel = SysFiles.readTrimmed(procRoot.resolve("sys/kernel/hostname"));
        if (kernel.isPresent()) {
            return kernel.get();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.debug("inventory: no hostname: {}", e.toString());
            return "localhost";
        }
    }

    /** PRETTY_NAME per os-release(5), which also names /usr/lib/os-release as the fallback file. */
    private String os() {
        for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
            for (String line : SysFiles.lines(rootFs.resolve(file))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    String name = unquote(line.substring("PRETTY_NAME=".length()).strip());
                    if (!name.isBlank()) {
                        return name;
                    }
                }
            }
        }
        LOG.debug("inventory: no PRETTY_NAME in os-release; using the JVM's os.name");
        return System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "");
    }

    /** os-release values use shell quoting; only the forms the spec allows are handled. */
    static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                String inner = value.substring(1, value.length() - 1);
                return first == '"' ? inner.replaceAll("\\\\([\"\\\\$`])", "$1") : inner;
            }
        }
        return value;
    }

    private static String cpuModel(List<String> cpuinfo) {
        for (String key : CPU_MODEL_KEYS) {
            for (String line : cpuinfo) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    String value = line.substring(colon + 1).strip();
                    if (!value.isEmpty()) {
                        return value;
                    }
                }
            }
        }
        LOG.debug("inventory: no CPU model in cpuinfo; reporting \"unknown\"");
        return "unknown";
    }

    private static int cpuCores(List<String> cpuinfo) {
        long processors = cpuinfo.stream()
                .filter(line -> line.indexOf(':') > 0 && line.substring(0, line.indexOf(':')).strip().equals("processor"))
                .count();
        if (processors > 0) {
            return (int) processors;
        }
        LOG.debug("inventory: no processor entries in cpuinfo; using the JVM's available processors");
        return Runtime.getRuntime().availableProcessors();
    }

    private long memoryBytes() {
        for (String line : SysFiles.lines(procRoot.resolve("meminfo"))) {
            // "MemTotal:       16303748 kB"
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && fields[0].equals("MemTotal:")) {
                try {
                    long value = Long.parseLong(fields[1]);
                    return fields.length >= 3 && fields[2].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    LOG.debug("inventory: odd MemTotal line '{}'", line);
                }
            }
        }
        LOG.debug("inventory: no MemTotal in meminfo; reporting 0");
        return 0;
    }

    /** Creates the directory, so a fresh dev node can use its configured disk straight away. */
    private static Disk directoryDisk(DirectoryDisk disk) {
        Path path = disk.path().toAbsolutePath().normalize();
        long size = 0;
        try {
            Files.createDirectories(path);
            size = Files.getFileStore(path).getTotalSpace();
        } catch (IOException | SecurityException e) {
            // Still reported (with size 0) so the misconfiguration is visible in the cluster view.
            LOG.warn("inventory: directory disk {} at {} is unusable: {}", disk.id(), path, e.toString());
        }
        return new Disk(disk.id(), "directory", path.toString(), size, false, "directory", null, false);
    }
}
