package io.keel.node.image;

import io.keel.meta.cluster.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Decides what an uploaded file is, from qemu-img's probe rather than from what the client
 * declared, and refuses what Keel cannot store safely: another format than declared, a format
 * other than qcow2 or raw, a qcow2 that names other files or is corrupt, an empty image.
 */
public final class ImageFileCheck {
    /** Volumes go up to 1 PiB (VolumeCommands.MAX_SIZE). */
    static final long MAX_VIRTUAL_SIZE = 1L << 50;

    /** What the file holds: its Keel format, the format to hand qemu-img, and its disk size. */
    public record Checked(ImageFormat format, String qemuFormat, long virtualSize) {}

    private final QemuImg qemu;

    public ImageFileCheck(QemuImg qemu) {
        this.qemu = Objects.requireNonNull(qemu, "qemu");
    }

    /** @param declared the format the client named, or null to take what the file is */
    public Checked check(Path file, ImageFormat declared) throws ImageFileException {
        QemuImgInfo info = qemu.info(file);
        ImageFormat format = judge(info, declared, isIso(file));
        if (format == ImageFormat.QCOW2) {
            qemu.check(file, "qcow2");
        }
        return new Checked(format, info.format(), info.virtualSize());
    }

    /** The rules on qemu-img's answer alone, kept apart so they are tested without files. */
    static ImageFormat judge(QemuImgInfo info, ImageFormat declared, boolean iso) throws ImageFileException {
        ImageFormat probed = switch (info.format()) {
            case "qcow2" -> ImageFormat.QCOW2;
            case "raw" -> iso ? ImageFormat.ISO : ImageFormat.RAW;
            default -> throw ImageFileException.invalid("the file is a " + info.format() + " image; Keel takes qcow2,"
                    + " raw and ISO files (convert it with 'qemu-img convert -O qcow2')");
        };
        if (declared == ImageFormat.QCOW2 && probed != ImageFormat.QCOW2) {
            throw ImageFileException.invalid("the file was declared qcow2 but is not a qcow2 image (qemu-img sees "
                    + info.format() + " data): upload it as raw or iso, or leave the format out");
        }
        if (declared == ImageFormat.ISO && probed != ImageFormat.ISO) {
            throw ImageFileException.invalid("the file was declared iso but " + (probed == ImageFormat.QCOW2
                    ? "is a qcow2 image" : "has no ISO 9660 signature (\"CD001\" at byte 32769)"));
        }
        if (declared == ImageFormat.RAW && probed == ImageFormat.QCOW2) {
            throw ImageFileException.invalid("the file was declared raw but is a qcow2 image: upload it as qcow2"
                    + " or leave the format out");
        }
        if (info.backingFile() != null) {
            throw ImageFileException.invalid("the qcow2 file refers to a backing file (" + info.backingFile()
                    + "), which the node must not read: upload a standalone image ('qemu-img convert -O qcow2"
                    + " IN OUT' makes one)");
        }
        if (info.dataFile() != null) {
            throw ImageFileException.invalid("the qcow2 file keeps its data in an external file (" + info.dataFile()
                    + "), which the node must not read: upload a standalone image");
        }
        if (info.corrupt()) {
            throw ImageFileException.invalid("the qcow2 file is marked corrupt in its header");
        }
        if (info.virtualSize() <= 0) {
            throw ImageFileException.invalid("the image is empty (its disk size is 0 bytes)");
        }
        if (info.virtualSize() > MAX_VIRTUAL_SIZE) {
            throw ImageFileException.invalid("the image's disk size (" + info.virtualSize() + " bytes) is larger than"
                    + " the largest volume (1 PiB)");
        }
        // Declared raw and found to be an ISO: the client said raw, so it is stored as raw.
        return declared == ImageFormat.RAW ? ImageFormat.RAW : probed;
    }

    private static boolean isIso(Path file) throws ImageFileException {
        try {
            return StagingArea.isIso9660(file);
        } catch (IOException e) {
            throw ImageFileException.failed("cannot read the staged file: " + e.getMessage());
        }
    }
}
