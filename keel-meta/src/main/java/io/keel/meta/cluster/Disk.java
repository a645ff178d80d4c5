package io.keel.meta.cluster;

import java.util.Objects;

/**
 * A disk a node reported. {@code kind} is "block" for a real block device (device is /dev/NAME)
 * or "directory" for a directory-backed development disk (device is its path).
 */
public record Disk(
        String id,
        String kind,
        String device,
        long sizeBytes,
        boolean rotational,
        String model,
        String serial,
        boolean system) {
    public Disk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(device, "device");
    }
}
