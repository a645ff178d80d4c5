package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * A VM image: the uploaded file's data lives in volume {@code volumeId} as raw bytes, and VMs are
 * cloned copy-on-write from its read-only "golden" snapshot {@code snapshotId}. {@code format} is
 * what was uploaded (null until known), {@code sizeBytes} the bytes received so far (the file's
 * size once uploaded) and {@code virtualSizeBytes} the disk size it holds (0 until checked).
 * {@code uploadId} names the upload attempt that may report progress, {@code node} the node
 * running it; {@code updatedAt} is when it last reported, so an attempt whose node died can be
 * recognised as abandoned. {@code shared} marks the image usable by every project.
 */
public record Image(
        String id,
        String name,
        ImageFormat format,
        String osType,
        boolean shared,
        String policy,
        ImageStatus status,
        String statusReason,
        long sizeBytes,
        long virtualSizeBytes,
        String volumeId,
        String snapshotId,
        String uploadId,
        String node,
        Instant createdAt,
        Instant updatedAt) {
    public Image {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(osType, "osType");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The name of the volume that holds the image's data. */
    public static String volumeName(String imageName) {
        return "image-" + imageName;
    }

    /** The name of the golden snapshot VMs are cloned from. */
    public static final String GOLDEN_SNAPSHOT = "golden";
}
