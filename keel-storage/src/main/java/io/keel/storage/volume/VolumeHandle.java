package io.keel.storage.volume;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * An open volume. Thread-safe; requests may run concurrently and at any offset and length within
 * {@link #size()}. Failures are {@link VolumeException}s: {@link VolumeIoException} for I/O (its
 * kind says which errno a protocol reports), {@link LeaseLostException} once a writable handle
 * has been fenced by a newer writer (the handle then refuses all further writes).
 */
public interface VolumeHandle extends AutoCloseable {

    String volumeId();

    /** The logical size as of the last {@link #refresh()}. */
    long size();

    int chunkSize();

    /** False for read-only opens; writes then fail with kind EROFS. */
    boolean writable();

    /** The write lease epoch, or 0 for a read-only handle. */
    long epoch();

    /** Fills {@code dst}'s remaining bytes from {@code offset}; unallocated ranges read as zeros. */
    void read(long offset, ByteBuffer dst);

    /**
     * Writes {@code src}'s remaining bytes at {@code offset}; returns once every live replica of
     * every touched chunk has them (on stable storage too if {@code fua}).
     */
    void write(long offset, ByteBuffer src, boolean fua);

    /**
     * Starts a write of {@code src}'s remaining bytes at {@code offset} without waiting for the
     * replicas, or returns null when this handle cannot start this write that way (then use
     * {@link #write}). The future completes when {@link #write} would have returned, with the
     * same guarantee: every live replica has the data (not necessarily durably; flush for that).
     * It fails with the {@link VolumeException} that {@link #write} would throw, possibly wrapped
     * in a {@link java.util.concurrent.CompletionException}; errors found before anything was sent
     * are thrown at once. It may complete on another thread, one that reads from a chunk service:
     * whatever is chained to it must not block. {@code src} must stay untouched until then; its
     * position does not move. Writes started one after another from one thread reach every
     * replica in that order.
     */
    default java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src) {
        return null;
    }

    /**
     * {@link #writeAsync(long, ByteBuffer)}; with {@code hold} the requests to remote replicas may
     * stay queued until {@link #sendHeld}, so that a burst of writes goes out in one system call
     * per replica. A caller that holds must call {@link #sendHeld} before it waits for anything
     * (the next request, budget, a future): nothing else is bound to send them.
     */
    default java.util.concurrent.CompletableFuture<Void> writeAsync(long offset, ByteBuffer src, boolean hold) {
        return writeAsync(offset, src);
    }

    /** Sends what writes started with {@code hold} left queued. */
    default void sendHeld() {}

    /** Makes the range read as zeros, freeing whole blocks; unallocated chunks stay unallocated. */
    void writeZeroes(long offset, long length, boolean fua);

    /** Makes every acknowledged write durable on every replica. */
    void flush();

    /** Reloads the layout from the catalog (after the volume was extended, or replicas moved). */
    void refresh();

    /**
     * Heals chunk {@code index} (writable handles only): copies it from a good replica to
     * {@code add} new replicas chosen by the placer, adds them to the catalog, then drops every
     * replica in {@code remove}. Blocks writes to that chunk only while the last bytes are
     * copied. Returns what was done.
     */
    RepairOutcome repair(long index, List<ReplicaRef> remove, int add);

    /**
     * Rewrites blocks {@code blocks} (4 KiB block numbers within the chunk) of {@code replica}'s
     * copy of chunk {@code index} from another replica: the cure for a scrub or read checksum
     * failure. Writable handles only.
     */
    void repairBlocks(long index, ReplicaRef replica, List<Integer> blocks);

    /**
     * Runs {@code action} while the volume is quiet, for a crash-consistent snapshot of an open
     * volume: writes, zeroing and repairs in flight finish first and new ones wait, every
     * acknowledged write is flushed, then {@code action} runs (it submits the snapshot with this
     * handle's {@link #epoch()}), and the layout is reloaded before I/O resumes so that later writes
     * use the new storage id and copy shared chunks instead of changing them. The reload happens
     * whether or not {@code action} succeeded, since a failure may hide a snapshot that was taken;
     * if the reload itself fails, every later change retries it first and fails while it
     * cannot. Reads are not held up.
     * Writable handles only: read-only ones throw a {@link VolumeIoException} of kind EROFS.
     *
     * @return what {@code action} returned
     */
    default <T> T quiesce(Supplier<T> action) {
        throw new VolumeIoException(VolumeIoException.Kind.EROFS, "volume " + volumeId()
                + " is open read-only: only its writer can take a snapshot of it while it is open");
    }

    boolean isClosed();

    /** True once a newer writer has taken the lease: every later write fails with {@link LeaseLostException}. */
    default boolean fenced() {
        return false;
    }

    /** Flushes, stops renewing and releases the lease of a writable handle. */
    @Override
    void close();

    /** What {@link #repair} did: replicas added and dropped, bytes copied. */
    record RepairOutcome(long index, List<ReplicaRef> added, List<ReplicaRef> dropped, long bytesCopied) {
        public RepairOutcome {
            added = List.copyOf(added);
            dropped = List.copyOf(dropped);
        }
    }
}
