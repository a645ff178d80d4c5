package io.keel.storage.chunk;

import java.util.Objects;

/**
 * The disk has too little free space (beyond the reserve) for the operation. Nothing was changed.
 */
public final class DiskFullException extends ChunkException {
    private final String disk;
    private final long freeBytes;
    private final long neededBytes;

    /** {@code disk} names the store's root; it is a string so that a remote client can carry it. */
    public DiskFullException(String disk, long freeBytes, long neededBytes) {
        super("disk " + Objects.requireNonNull(disk, "disk") + " is full: " + freeBytes + " bytes free, "
                + neededBytes + " needed");
        this.disk = disk;
        this.freeBytes = freeBytes;
        this.neededBytes = neededBytes;
    }

    public String disk() {
        return disk;
    }

    public long freeBytes() {
        return freeBytes;
    }

    public long neededBytes() {
        return neededBytes;
    }
}
