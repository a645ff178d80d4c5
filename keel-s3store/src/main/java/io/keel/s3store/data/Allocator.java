package io.keel.s3store.data;

import io.keel.meta.cluster.S3Cluster;
import io.keel.storage.volume.LeaseHeldException;
import io.keel.storage.volume.VolumeHandle;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out ranges of this gateway's active data volume, append-only (ADR 0042). Packed ranges
 * start at the next 4 KiB boundary, extents at the next chunk boundary. Offsets come only from
 * inside a range reserved durably in the {@link ReservationLog}, so a restart, which continues
 * past the volume's mark, never hands out space an acknowledged object may occupy. When the
 * volume is full (or another writer took it over) the next one is created and activated.
 *
 * <p>Only the arithmetic runs under the lock; a reservation or a volume switch also does, but
 * they happen once per {@link VolumeDataOptions#reservationStep()} or per volume.
 */
final class Allocator {

    /** {@code length} bytes at {@code offset} of {@code handle}'s volume, for one caller alone. */
    record Allocation(VolumeHandle handle, long offset, long length) {
        Allocation {
            Objects.requireNonNull(handle, "handle");
        }

        String volumeId() {
            return handle.volumeId();
        }
    }

    /** Where the next range of the active volume starts, and how far it is reserved. */
    private record Cursor(VolumeHandle handle, long next, long reservedTo) {}

    /** Volume switches one allocation may make before it gives up. */
    private static final int MAX_ROLLS = 3;

    private final DataVolumes volumes;
    private final ReservationLog log;
    private final VolumeDataOptions options;
    /** The volumes this instance opened for writing, by id: kept for reads and releases after a switch. */
    private final Map<String, VolumeHandle> writable;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; null until the first allocation finds or creates the active volume. */
    private Cursor cursor;

    Allocator(DataVolumes volumes, ReservationLog log, VolumeDataOptions options, Map<String, VolumeHandle> writable) {
        this.volumes = Objects.requireNonNull(volumes, "volumes");
        this.log = Objects.requireNonNull(log, "log");
        this.options = Objects.requireNonNull(options, "options");
        this.writable = Objects.requireNonNull(writable, "writable");
    }

    /**
     * A range of {@code length} bytes at the next 4 KiB boundary; or with {@code chunkAligned} and
     * at least a chunk's length, whole chunks at the next chunk boundary covering {@code length}
     * bytes, fewer when the volume has less room left, but at least one. Whole chunks keep an
     * extent's chunks its own, so that releasing it frees them entirely. A body shorter than a
     * chunk is never given one of its own: each would cost a chunk allocation in the metadata,
     * which made 1 MiB PUTs run at a tenth of the disk's speed; its blocks are freed on release all
     * the same.
     */
    Allocation allocate(long length, boolean chunkAligned) throws IOException {
        if (length <= 0) {
            throw new IllegalArgumentException("allocation of " + length + " bytes");
        }
        lock.lock();
        try {
            Cursor c = cursor == null ? resume() : cursor;
            cursor = c;
            for (int rolls = 0; ; rolls++) {
                if (rolls > MAX_ROLLS) {
                    // A fresh volume that cannot hold the range, or every new mark overtaken at once.
                    throw new IOException("no data volume could take " + length + " bytes after " + MAX_ROLLS
                            + " new volumes (last " + c.handle().volumeId() + ", " + c.handle().size() + " bytes)");
                }
                long size = c.handle().size();
                int chunk = c.handle().chunkSize();
                boolean whole = chunkAligned && length >= chunk;
                long start = roundUp(c.next(), whole ? chunk : VolumeObjectData.BLOCK);
                long room = Math.max(0, size - start);
                long len = whole
                        ? Math.min(roundUp(length, chunk), room - room % chunk)
                        : (length <= room ? length : 0);
                if (len <= 0) {
                    c = roll(c.handle().volumeId());
                    cursor = c;
                    continue;
                }
                long end = start + len;
                if (end > c.reservedTo()) {
                    long upTo = Math.min(size, Math.max(end, c.reservedTo() + options.reservationStep()));
                    long mark = log.reserve(c.handle().volumeId(), c.reservedTo(), upTo);
                    if (mark != upTo) {
                        // Someone else moved the mark: another writer opened the volume, which
                        // fenced this handle. Its space is no longer ours to hand out.
                        c = roll(c.handle().volumeId());
                        cursor = c;
                        continue;
                    }
                    c = new Cursor(c.handle(), c.next(), upTo);
                }
                cursor = new Cursor(c.handle(), end, c.reservedTo());
                return new Allocation(c.handle(), start, len);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Continues in the writer's active volume, or creates the first one. When another holder's
     * lease is live on the active volume (it was handed over while this gateway was down), a new
     * volume is started rather than waiting for that lease to run out.
     */
    private Cursor resume() throws IOException {
        Optional<String> active = log.activeVolume(options.writerId());
        if (active.isEmpty()) {
            return roll(null);
        }
        try {
            return open(active.get());
        } catch (LeaseHeldException e) {
            return roll(active.get());
        }
    }

    /** Creates the next volume and makes it the writer's active one in place of {@code expected}. */
    private Cursor roll(String expected) throws IOException {
        String id = volumes.create(volumeName(), options.volumeSize());
        if (!log.activate(options.writerId(), expected, id)
                && !log.activeVolume(options.writerId()).equals(Optional.of(id))) {
            // (An activation whose answer was lost shows our own id: that one counts as done.)
            throw new IOException("writer " + options.writerId()
                    + " switched volumes elsewhere: its active volume is no"
                    + " longer " + expected + "; is another gateway running under the same writer id?");
        }
        return open(id);
    }

    /**
     * Opens a volume for writing and continues past every reservation ever made in it. The open
     * comes first: it fences every earlier writer, so whatever such a writer still reserves after
     * the mark is read here, it can no longer write there. (A reservation that late makes this
     * writer's next one fail, which costs a switch to a new volume, never an overlap.)
     */
    private Cursor open(String volumeId) throws IOException {
        VolumeHandle h = volumes.openWritable(volumeId);
        VolumeHandle old = writable.put(volumeId, h);
        if (old != null && old != h) {
            old.close();
        }
        long mark = log.highWater(volumeId);
        return new Cursor(h, mark, mark);
    }

    /**
     * {@code s3-<writer>-<12 random hex digits>}: unique without coordination, and within the
     * metadata's 63 characters for volume names (the writer id is cut to 40).
     */
    private String volumeName() {
        String writer = options.writerId();
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return S3Cluster.DATA_VOLUME_PREFIX + writer.substring(0, Math.min(40, writer.length())) + "-" + random;
    }

    static long roundUp(long value, long unit) {
        long r = value % unit;
        return r == 0 ? value : value + unit - r;
    }
}
