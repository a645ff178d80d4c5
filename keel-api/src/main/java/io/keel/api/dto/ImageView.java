package io.keel.api.dto;

/**
 * An image. {@code status} is QUEUED (waiting for its file), UPLOADING, CONVERTING, ACTIVE or
 * ERROR, with {@code statusReason} saying why when it failed. {@code sizeBytes} is what was
 * received so far (the file's size once uploaded), {@code virtualSizeBytes} the disk size it
 * holds (0 until known). {@code volume} and {@code snapshot} name the volume holding its data and
 * the golden snapshot VM disks are cloned from (null until ACTIVE). {@code node} is the node that
 * received the last upload. Times are ISO-8601.
 */
public record ImageView(
        String id,
        String name,
        String format,
        String osType,
        boolean shared,
        String status,
        String statusReason,
        long sizeBytes,
        long virtualSizeBytes,
        String volumeId,
        String volume,
        String snapshotId,
        String snapshot,
        String policy,
        String node,
        String createdAt,
        String updatedAt) {}
