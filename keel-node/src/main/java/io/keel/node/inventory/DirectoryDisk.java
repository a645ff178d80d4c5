package io.keel.node.inventory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A development disk backed by a directory, declared in node config, so a cluster can run on
 * machines (laptops, CI) that have no spare block devices.
 */
public record DirectoryDisk(String id, Path path) {
    public DirectoryDisk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        if (id.isBlank()) {
            throw new IllegalArgumentException("directory disk id must not be blank");
        }
    }
}
