package io.keel.node.storage;

import io.keel.meta.cluster.Disk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a disk keeps its chunks: inside a directory disk, or on the filesystem mounted from a
 * block device. A block device without a mounted filesystem has no place for chunks; formatting
 * disks is left to the administrator (or a later installer), never done behind their back.
 */
public final class DiskPaths {
    private static final Logger log = LoggerFactory.getLogger(DiskPaths.class);
    static final String CHUNK_DIR = "keel-chunks";

    private final Path mountsFile;

    public DiskPaths(Path mountsFile) {
        this.mountsFile = Objects.requireNonNull(mountsFile, "mountsFile");
    }

    public static DiskPaths system() {
        return new DiskPaths(Path.of("/proc/self/mounts"));
    }

    public Optional<Path> chunkRoot(Disk disk) {
        Objects.requireNonNull(disk, "disk");
        if ("directory".equals(disk.kind())) {
            return Optional.of(Path.of(disk.device()).resolve(CHUNK_DIR));
        }
        return mountPoint(disk.device()).map(m -> m.resolve(CHUNK_DIR));
    }

    /** The first mount whose source is {@code device} or one of its partitions. */
    Optional<Path> mountPoint(String device) {
        try {
            for (String line : Files.readAllLines(mountsFile)) {
                String[] f = line.split(" ");
                if (f.length < 2) {
                    continue;
                }
                if (f[0].equals(device) || (f[0].startsWith(device) && Character.isDigit(f[0].charAt(f[0].length() - 1))
                        && f[0].length() > device.length())) {
                    return Optional.of(Path.of(f[1].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}", mountsFile, e.toString());
        }
        return Optional.empty();
    }
}
