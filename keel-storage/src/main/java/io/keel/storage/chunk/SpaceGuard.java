package io.keel.storage.chunk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses allocations that would eat into the disk's reserve. Space that writes in flight are
 * about to allocate is counted as used, so concurrent writes cannot together overbook the disk.
 */
final class SpaceGuard {
    /** Space set aside for one operation; closing it releases the claim either way. */
    interface Reservation extends AutoCloseable {
        Reservation NONE = () -> {};

        @Override
        void close();
    }

    private final String disk;
    private final FileStore fileStore;
    private final long reservedBytes;
    private final AtomicLong pending = new AtomicLong();

    SpaceGuard(String disk, FileStore fileStore, long reservedBytes) {
        this.disk = disk;
        this.fileStore = fileStore;
        this.reservedBytes = reservedBytes;
    }

    /** @throws DiskFullException if fewer than {@code needed} bytes are free beyond the reserve */
    Reservation reserve(long needed) throws IOException {
        if (needed == 0) {
            return Reservation.NONE; // overwrites allocate nothing, so they still work on a full disk
        }
        long othersPending = pending.getAndAdd(needed);
        long free = fileStore.getUsableSpace() - reservedBytes - othersPending;
        if (free < needed) {
            pending.addAndGet(-needed);
            throw new DiskFullException(disk, Math.max(0, free), needed);
        }
        return () -> pending.addAndGet(-needed);
    }

    long freeBytes() throws IOException {
        return Math.max(0, fileStore.getUsableSpace() - reservedBytes - pending.get());
    }
}
