package io.keel.s3store.data;

import io.keel.storage.volume.VolumeException;
import io.keel.storage.volume.VolumeHandle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectData} in Keel volumes this gateway writes (ADR 0042). Bodies below the packing
 * threshold are appended at 4 KiB boundaries; larger ones fill chunk-aligned extents. Every write
 * is FUA, so {@link #write} returns only once every live replica has every byte on stable storage.
 * Thread-safe: many PUTs run at once, serialised only while their ranges are allocated.
 */
public final class VolumeObjectData implements ObjectData, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VolumeObjectData.class);

    /** The storage engine's checksum block: the packing alignment, and the unit a trim frees. */
    static final int BLOCK = 4096;
    /**
     * Released ranges waiting out their grace period at most: 60 s of 2,000 overwrites a second.
     * Past it the oldest is trimmed early.
     */
    static final int RELEASE_QUEUE = 1 << 17;
    /** Background writes of large bodies: one short-lived virtual thread each, nothing to shut down. */
    private static final Executor WRITERS = task -> Thread.ofVirtual().name("s3-data-write").start(task);

    private final VolumeDataOptions options;
    private final Map<String, VolumeHandle> writable = new ConcurrentHashMap<>();
    private final Allocator allocator;
    private final ReadHandles reads;
    private final LongAdder trimmedBytes = new LongAdder();
    private final LongAdder garbageBytes = new LongAdder();
    private final Trimmer trimmer;

    /**
     * What {@link #release} did so far.
     *
     * @param trimmedBytes bytes of released ranges trimmed (their blocks are free again)
     * @param garbageBytes bytes of released ranges only counted: packed bodies, which compaction
     *                     will reclaim, and ranges of volumes this instance does not write
     */
    public record Usage(long trimmedBytes, long garbageBytes) {}

    public VolumeObjectData(DataVolumes volumes, ReservationLog reservations, VolumeDataOptions options) {
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(reservations, "reservations");
        this.options = Objects.requireNonNull(options, "options");
        this.allocator = new Allocator(volumes, reservations, options, writable);
        this.reads = new ReadHandles(volumes, writable);
        this.trimmer = new Trimmer(options.writerId(), options.releaseGrace(), RELEASE_QUEUE, this::trimNow);
    }

    @Override
    public DataLocation write(InputStream body, long sizeHint) throws IOException {
        Objects.requireNonNull(body, "body");
        // Whether a body is packed depends on its real length, not the hint: read up to the
        // threshold first (a packed body is never longer than this buffer).
        byte[] head = body.readNBytes(options.packThreshold());
        if (head.length == 0) {
            return DataLocation.EMPTY;
        }
        try {
            if (head.length < options.packThreshold()) {
                return writePacked(head);
            }
            if (sizeHint == head.length) {
                // Announced and read in full: when nothing follows, the head is written as it is,
                // with no staging buffer (a 1 MiB PUT used to allocate and zero 4 MiB).
                int next = body.read();
                if (next < 0) {
                    return writeLarge(head, InputStream.nullInputStream(), sizeHint, true);
                }
                body = new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) next}), body);
            }
            return writeLarge(head, body, sizeHint, false);
        } catch (VolumeException e) {
            throw new IOException("storing an object body failed: " + e.getMessage(), e);
        }
    }

    private DataLocation writePacked(byte[] bytes) throws IOException {
        Allocator.Allocation a = allocator.allocate(bytes.length, false);
        a.handle().write(a.offset(), ByteBuffer.wrap(bytes), true);
        return new DataLocation(List.of(new DataLocation.Segment(a.volumeId(), a.offset(), bytes.length)));
    }

    /**
     * Fills chunk-aligned extents buffer by buffer. Up to {@link VolumeDataOptions#writeDepth()}
     * buffers are being written while the next one is read from the client, so a large PUT costs
     * about the slower of network and storage, not their sum, and the replicas' fsyncs overlap.
     * Ranges are allocated on the caller's thread, in body order, so extents of one body stay
     * contiguous. On any failure the writes in flight are waited for and the bytes written so far
     * are trimmed again (best effort: nothing will ever name them anyway).
     */
    private DataLocation writeLarge(byte[] head, InputStream body, long sizeHint, boolean headIsAll)
            throws IOException {
        int size = headIsAll ? head.length : Math.max(options.bufferSize(), head.length);
        ByteBuffer filling = headIsAll ? ByteBuffer.wrap(head).position(head.length)
                : ByteBuffer.allocate(size).put(head);
        ArrayDeque<InFlight> writing = new ArrayDeque<>();
        Segments done = new Segments();
        Allocator.Allocation extent = null;
        long used = 0;
        try {
            while (true) {
                boolean eof = headIsAll || fill(filling, body);
                filling.flip();
                List<Piece> pieces = new ArrayList<>(2);
                while (filling.hasRemaining()) {
                    if (extent == null || used == extent.length()) {
                        extent = allocator.allocate(extentLength(sizeHint, done.length()), true);
                        used = 0;
                        done.start(extent.volumeId(), extent.offset());
                    }
                    int n = (int) Math.min(filling.remaining(), extent.length() - used);
                    pieces.add(new Piece(extent.handle(), extent.offset() + used,
                            filling.slice(filling.position(), n)));
                    filling.position(filling.position() + n);
                    used += n;
                    done.grow(n);
                }
                if (eof && writing.isEmpty()) {
                    writeAll(pieces); // nothing left to read meanwhile: no hand-off
                } else if (!pieces.isEmpty()) {
                    writing.add(new InFlight(CompletableFuture.runAsync(() -> writeAll(pieces), WRITERS), filling));
                }
                if (eof) {
                    break;
                }
                if (writing.size() <= options.writeDepth()) {
                    filling = ByteBuffer.allocate(size);
                } else {
                    // The oldest buffer's write must be durable before the buffer is filled again.
                    InFlight oldest = writing.poll();
                    await(oldest.write());
                    filling = oldest.buffer().clear();
                }
            }
            while (!writing.isEmpty()) {
                await(writing.poll().write());
            }
        } catch (IOException | RuntimeException e) {
            // A write still running could land after the trim and keep its blocks allocated.
            for (InFlight w : writing) {
                try {
                    await(w.write());
                } catch (IOException | RuntimeException again) {
                    if (again != e) {
                        e.addSuppressed(again);
                    }
                }
            }
            discard(done.location(), e);
            throw e;
        }
        return done.location();
    }

    /** A buffer being written, free again once its write completed. */
    private record InFlight(CompletableFuture<Void> write, ByteBuffer buffer) {}

    /** Bytes bound for one place of one volume. */
    private record Piece(VolumeHandle handle, long offset, ByteBuffer data) {}

    private static void writeAll(List<Piece> pieces) {
        for (Piece p : pieces) {
            p.handle().write(p.offset(), p.data(), true);
        }
    }

    /** Waits for a background write, rethrowing what it failed with. */
    private static void await(CompletableFuture<Void> write) throws IOException {
        if (write == null) {
            return;
        }
        try {
            write.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                case Throwable t -> throw new IOException(t);
            }
        }
    }

    /** Reads into {@code buf} until it is full or the body ends; true at the end of the body. */
    private static boolean fill(ByteBuffer buf, InputStream body) throws IOException {
        while (buf.hasRemaining()) {
            int n = body.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            if (n < 0) {
                return true;
            }
            buf.position(buf.position() + n);
        }
        return false;
    }

    /**
     * The next extent: what the announced size still needs (the allocator rounds it up to whole
     * chunks); without an announcement, or past it, the configured unknown-size extent.
     */
    private long extentLength(long sizeHint, long written) {
        return sizeHint > written ? sizeHint - written : options.unknownSizeExtent();
    }

    private void discard(DataLocation partial, Exception cause) {
        for (DataLocation.Segment s : partial.segments()) {
            VolumeHandle h = writable.get(s.volumeId());
            try {
                if (h != null) {
                    h.writeZeroes(s.offset(), ownedLength(s, h), false);
                }
            } catch (VolumeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    @Override
    public InputStream open(DataLocation location, long offset, long length) throws IOException {
        Objects.requireNonNull(location, "location");
        if (offset < 0 || length < 0 || offset > location.length() - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside an object of "
                    + location.length() + " bytes");
        }
        return new SegmentInputStream(location, offset, length, reads, options.bufferSize());
    }

    /**
     * Trims released ranges in volumes this instance writes: every block they own turns into a
     * hole on every replica. Ranges start on 4 KiB boundaries and own their blocks up to the next
     * one, so a packed range is trimmed without touching its live neighbours; what stays is the
     * chunk records, which compaction would drop. Ranges of volumes another writer holds are only
     * counted. Storage failures are logged and counted, never thrown: the index no longer names
     * the range, so the worst outcome is space not yet reclaimed. The trim runs in the background
     * once the options' grace period has passed ({@link Trimmer}): a GET that began on the old
     * version reads it to the end, and the caller does not wait.
     */
    @Override
    public void release(DataLocation location) {
        trimmer.release(location);
    }

    /** Waits until every range released so far is trimmed or counted ({@link #usage} then shows it); takes the grace period. */
    public void settle() throws InterruptedException {
        trimmer.settle();
    }

    private void trimNow(DataLocation location) {
        for (DataLocation.Segment s : location.segments()) {
            VolumeHandle h = writable.get(s.volumeId());
            if (h == null || h.isClosed() || h.fenced()) {
                garbageBytes.add(s.length());
                continue;
            }
            try {
                h.writeZeroes(s.offset(), ownedLength(s, h), false);
                trimmedBytes.add(s.length());
            } catch (VolumeException e) {
                log.warn("volume {}: trimming released range {}+{} failed, counted as garbage: {}", s.volumeId(),
                        s.offset(), s.length(), e.toString());
                garbageBytes.add(s.length());
            }
        }
    }

    /**
     * A segment owns its bytes up to the next 4 KiB boundary: the next range of its volume starts
     * there at the earliest. Trimming those whole blocks frees them without touching a neighbour.
     */
    private static long ownedLength(DataLocation.Segment s, VolumeHandle h) {
        long end = Math.min(Allocator.roundUp(s.offset() + s.length(), BLOCK), h.size());
        return end - s.offset();
    }

    public Usage usage() {
        return new Usage(trimmedBytes.sum(), garbageBytes.sum());
    }

    /** Flushes and closes the volumes this instance writes (giving up their leases) and the read handles. */
    @Override
    public void close() {
        trimmer.close();
        for (VolumeHandle h : List.copyOf(writable.values())) {
            h.close();
        }
        writable.clear();
        reads.close();
    }

    /** The segments of one body as it is written: contiguous extents of one volume merge. */
    private static final class Segments {
        private final List<DataLocation.Segment> closed = new ArrayList<>();
        private String volumeId;
        private long offset;
        private long length;

        void start(String volume, long at) {
            if (volume.equals(volumeId) && at == offset + length) {
                return;
            }
            flushCurrent();
            volumeId = volume;
            offset = at;
            length = 0;
        }

        void grow(long n) {
            length += n;
        }

        long length() {
            long sum = length;
            for (DataLocation.Segment s : closed) {
                sum += s.length();
            }
            return sum;
        }

        DataLocation location() {
            List<DataLocation.Segment> all = new ArrayList<>(closed);
            if (volumeId != null && length > 0) {
                all.add(new DataLocation.Segment(volumeId, offset, length));
            }
            return new DataLocation(all);
        }

        private void flushCurrent() {
            if (volumeId != null && length > 0) {
                closed.add(new DataLocation.Segment(volumeId, offset, length));
            }
        }
    }
}
