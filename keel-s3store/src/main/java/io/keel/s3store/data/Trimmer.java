package io.keel.s3store.data;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims released ranges on one background virtual thread, so that the PUT or DELETE that released
 * them answers without waiting for the storage engine to punch holes: on an overwrite that trim
 * took about a tenth of a 1 MiB PUT. Nothing waits for a release to be durable (the index no
 * longer names the range, and a range is never handed out twice), so deferring it risks only space
 * not yet reclaimed if the node stops first, which a release failure risks already.
 *
 * <p>The queue is bounded: when trims fall behind, a release runs on its caller, which slows the
 * writers producing garbage rather than letting the backlog grow without limit.
 */
final class Trimmer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Trimmer.class);
    /** Releases waiting at most; past this a caller trims its own. */
    static final int QUEUE_LIMIT = 4096;
    /** Queued by {@link #close} behind everything else: the worker stops when it takes it. */
    private static final DataLocation STOP = new DataLocation(java.util.List.of());

    private final Consumer<DataLocation> trim;
    private final BlockingQueue<DataLocation> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final Thread worker;
    /** Handed in and not yet trimmed; guarded by {@code this}, which {@link #settle} waits on. */
    private long pending;
    private boolean closed;

    /** @param trim trims one released location; it must not throw (it logs and counts failures) */
    Trimmer(String name, Consumer<DataLocation> trim) {
        this.trim = Objects.requireNonNull(trim, "trim");
        this.worker = Thread.ofVirtual().name("s3-trim-" + Objects.requireNonNull(name, "name")).start(this::run);
    }

    /** Queues {@code location} for trimming, or trims it now when the queue is full or closed. */
    void release(DataLocation location) {
        Objects.requireNonNull(location, "location");
        synchronized (this) {
            if (!closed && queue.offer(location)) {
                pending++;
                return;
            }
        }
        trim.accept(location);
    }

    /** Waits until every location handed in before this call has been trimmed (or counted as garbage). */
    synchronized void settle() throws InterruptedException {
        while (pending > 0) {
            wait();
        }
    }

    private void run() {
        while (true) {
            DataLocation next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() stops the worker, by queueing STOP
            }
            if (next == STOP) {
                return;
            }
            trimOne(next);
        }
    }

    private void trimOne(DataLocation location) {
        try {
            trim.accept(location);
        } catch (RuntimeException e) {
            log.warn("trimming a released range failed: {}", e.toString());
        } finally {
            synchronized (this) {
                pending--;
                notifyAll();
            }
        }
    }

    /**
     * Lets the worker trim everything queued, then stops it, so that the volumes are closed with
     * every release applied. The worker is never interrupted: an interrupt during file I/O would
     * close the chunk's file channel under it.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean interrupted = false;
        boolean stopQueued = false;
        // Keeps waiting through interrupts: the volumes must not close under a running trim.
        while (worker.isAlive()) {
            try {
                if (!stopQueued) {
                    queue.put(STOP);
                    stopQueued = true;
                }
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
