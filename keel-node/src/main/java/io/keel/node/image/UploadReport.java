package io.keel.node.image;

import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.ImageFormat;
import io.keel.meta.cluster.ImageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload attempt's reports to the image's record. Bytes received are reported at most once a
 * second: one replicated write per buffer would cost the metadata group far more than the upload
 * is worth showing. Used by the one thread that runs the upload.
 */
final class UploadReport {
    private static final Logger log = LoggerFactory.getLogger(UploadReport.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Consumer<ClusterCommand> submit;
    private final Clock clock;
    private final String imageId;
    private final String uploadId;
    private final String nodeId;
    private ImageStatus status = ImageStatus.UPLOADING;
    private ImageFormat format;
    private long sizeBytes;
    private long virtualSize;
    private String volumeId;
    private String snapshotId;
    private Instant lastSent = Instant.MIN;

    /** @param submit replicates a command, throwing the refusal (MetaGateway::submit) */
    UploadReport(Consumer<ClusterCommand> submit, Clock clock, String imageId, String uploadId, String nodeId,
            ImageFormat declared) {
        this.submit = Objects.requireNonNull(submit, "submit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.imageId = Objects.requireNonNull(imageId, "imageId");
        this.uploadId = Objects.requireNonNull(uploadId, "uploadId");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.format = declared;
    }

    /** Claims the image for this attempt; refused (ApiException) while another one is alive. */
    void start() {
        send(null);
    }

    void received(long bytes) {
        sizeBytes = bytes;
        if (!clock.instant().isBefore(lastSent.plus(EVERY))) {
            keepAlive();
        }
    }

    void converting(ImageFormat f, long size, long virtual) {
        status = ImageStatus.CONVERTING;
        format = f;
        sizeBytes = size;
        virtualSize = virtual;
        send(null);
    }

    void volume(String id) {
        volumeId = id;
        send(null);
    }

    /** While qemu-img works: only refreshes the record's time, so the attempt does not look abandoned. */
    void keepAlive() {
        try {
            send(null);
        } catch (RuntimeException e) {
            log.warn("image {}: progress report failed: {}", imageId, e.getMessage());
        }
    }

    void active(String snapshot) {
        status = ImageStatus.ACTIVE;
        snapshotId = snapshot;
        send(null);
    }

    /** The volume (and snapshot) are gone: the record must not name them. */
    void cleanedUp() {
        volumeId = null;
        snapshotId = null;
    }

    /** Best effort: the failure being reported matters more than a failure to report it. */
    void error(String reason) {
        status = ImageStatus.ERROR;
        try {
            send(reason.length() > 1900 ? reason.substring(0, 1900) + "..." : reason);
        } catch (RuntimeException e) {
            log.warn("image {}: cannot record the failure '{}': {}", imageId, reason, e.getMessage());
        }
    }

    private void send(String reason) {
        Instant now = clock.instant();
        submit.accept(new ClusterCommand.UpdateImageStatus(imageId, uploadId, nodeId, status, reason, format, sizeBytes,
                virtualSize, volumeId, snapshotId, now));
        lastSent = now;
    }
}
