package io.keel.iscsi.scsi;

import java.util.Objects;

/**
 * What a LUN is known by without its storage open: the volume id (from which the NAA id and serial
 * derive, so every node reports the same ones), the capacity and the logical block size. A standby
 * LUN answers INQUIRY and MODE SENSE from this alone.
 */
public record LunSpec(String volumeId, long size, int blockSize) {
    public LunSpec {
        Objects.requireNonNull(volumeId, "volumeId");
        if (volumeId.isEmpty()) {
            throw new IllegalArgumentException("empty volume id");
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("logical block size must be 512 or 4096, not " + blockSize);
        }
        if (size < blockSize || size % blockSize != 0) {
            throw new IllegalArgumentException("LUN size " + size + " is not a positive multiple of " + blockSize);
        }
    }

    public static LunSpec of(LunBackend backend) {
        return new LunSpec(backend.uniqueId(), backend.size(), backend.blockSize());
    }

    public long blocks() {
        return size / blockSize;
    }

    public LunSpec withSize(long newSize) {
        return new LunSpec(volumeId, newSize, blockSize);
    }
}
