package io.keel.meta.cluster;

import java.util.Locale;
import java.util.Optional;

/**
 * How an image was uploaded. An ISO is raw data to qemu-img; it is kept apart because it is
 * attached to a VM as a CD-ROM, not booted from as a disk.
 */
public enum ImageFormat {
    QCOW2, RAW, ISO;

    /** The lower-case name administrators type and see ("qcow2"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code s} (any case), or empty. */
    public static Optional<ImageFormat> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (ImageFormat f : values()) {
            if (f.label().equals(s.toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
