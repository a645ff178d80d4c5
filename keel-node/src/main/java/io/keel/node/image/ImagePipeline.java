package io.keel.node.image;

import io.keel.api.ApiException;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.CreateVolumeRequest;
import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.Image;
import io.keel.node.service.MetaGateway;
import io.keel.node.service.SnapshotServiceImpl;
import io.keel.node.service.VolumeServiceImpl;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a staged file into an ACTIVE image: check it, create its volume, write the raw data into
 * the volume through this node's own NBD export with qemu-img (which takes the write lease there
 * like any client, so the volume layer's rules hold), then take the golden snapshot once qemu-img
 * has closed its connection. Anything failing after the volume exists removes the volume again.
 */
final class ImagePipeline {
    private static final Logger log = LoggerFactory.getLogger(ImagePipeline.class);
    private static final long BLOCK = 4096;
    private static final Duration CLEANUP_DEADLINE = Duration.ofSeconds(30);

    private final ImageFileCheck check;
    private final QemuImg qemu;
    private final VolumeServiceImpl volumes;
    private final SnapshotServiceImpl snapshots;
    private final MetaGateway meta;
    private final Supplier<Optional<InetSocketAddress>> nbd;

    ImagePipeline(QemuImg qemu, VolumeServiceImpl volumes, SnapshotServiceImpl snapshots, MetaGateway meta,
            Supplier<Optional<InetSocketAddress>> nbd) {
        this.qemu = Objects.requireNonNull(qemu, "qemu");
        this.check = new ImageFileCheck(qemu);
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.nbd = Objects.requireNonNull(nbd, "nbd");
    }

    void store(Image image, Path file, long fileSize, UploadReport report) throws ImageFileException {
        ImageFileCheck.Checked checked = check.check(file, image.format());
        report.converting(checked.format(), fileSize, checked.virtualSize());
        InetSocketAddress export = nbd.get().orElseThrow(() -> ImageFileException.failed("this node does not serve"
                + " NBD (storage.nbdPort is 0), which images are written through: upload through another node"));
        long size = (checked.virtualSize() + BLOCK - 1) / BLOCK * BLOCK;
        // A refusal here (a volume took the name meanwhile, the policy went) keeps its own status.
        String volumeId = volumes.create(new CreateVolumeRequest(Image.volumeName(image.name()), Long.toString(size),
                image.policy(), null)).id();
        String snapshotId = null;
        try {
            report.volume(volumeId);
            qemu.convertToRaw(file, checked.qemuFormat(), "nbd://" + host(export) + ":" + export.getPort() + "/"
                    + volumeId, report::keepAlive);
            // The snapshot service waits for qemu-img's write lease to be released (or pauses it).
            snapshotId = snapshots.create(volumeId, new CreateSnapshotRequest(Image.GOLDEN_SNAPSHOT)).id();
            report.active(snapshotId);
        } catch (ImageFileException | RuntimeException e) {
            removeQuietly(image, snapshotId, volumeId, report);
            if (e instanceof ApiException api) {
                throw ImageFileException.failed("cannot finish the image: " + api.getMessage());
            }
            throw e;
        }
    }

    /** The NBD server listens on the bind address; a wildcard one is reached on loopback. */
    private static String host(InetSocketAddress a) {
        return a.getAddress() == null || a.getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : a.getAddress().getHostAddress();
    }

    /** Deletes what this attempt made; the lease qemu-img held may take a moment to be released. */
    private void removeQuietly(Image image, String snapshotId, String volumeId, UploadReport report) {
        long deadline = System.nanoTime() + CLEANUP_DEADLINE.toNanos();
        try {
            if (snapshotId != null) {
                meta.submit(new ClusterCommand.DeleteSnapshot(snapshotId));
            }
            while (true) {
                try {
                    volumes.delete(volumeId);
                    report.cleanedUp();
                    return;
                } catch (ApiException e) {
                    if ("not_found".equals(e.code())) {
                        report.cleanedUp();
                        return;
                    }
                    if (!"conflict".equals(e.code()) || System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("image {}: cannot remove volume {} after a failed upload ({}); deleting the image removes it",
                    image.name(), volumeId, e.getMessage());
        }
    }
}
