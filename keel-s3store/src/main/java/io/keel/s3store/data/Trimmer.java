package io.keel.s3store.data;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims released ranges on one background virtual thread, each once a grace period has passed
 * since its release (ADR 0056).
 *
 * <p>The grace period protects reads: a GET holds the location of the version it started on and
 * streams it piece by piece, so a range trimmed while the GET still reads it would hand the client
 * zeros under the old object's ETag. Any gateway may be reading, so there is nothing local to count;
 * what is released waits instead, as RADOS Gateway's garbage collection does. The trim being off the
 * request path also spares the PUT or DELETE that released the range (on an overwrite that trim
 * took about a tenth of a 1 MiB PUT).
 *
 * <p>Nothing waits for a release to be durable (the index no longer names the range, and a range is
 * never handed out twice), so deferring it risks only space not yet reclaimed if the node stops
 * first, which a release failure risks already. The queue is bounded: when it is full, the caller
 * trims the oldest queued range itself, early, which slows the writers producing garbage rather
 * than letting the backlog grow without limit.
 */
final class Trimmer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Trimmer.class);

    /** A released location and when it may be trimmed ({@link System#nanoTime()}). */
    private record Pending(DataLocation location, long dueNanos) {}

    /** Releases due this soon are trimmed with the one due now: one wake-up for a burst of them. */
    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Consumer<DataLocation> trim;
    private final long graceNanos;
    private final int limit;
    private final Thread worker;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a release is queued, a trim finishes, or the trimmer closes. */
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}, oldest first; with one grace period that is also due order. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}: queued or being trimmed. */
    private long pending;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /**
     * @param grace how long a released range stays readable
     * @param limit releases queued at most
     * @param trim  trims one released location; it must not throw (it logs and counts failures)
     */
    Trimmer(String name, Duration grace, int limit, Consumer<DataLocation> trim) {
        this.trim = Objects.requireNonNull(trim, "trim");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.graceNanos = grace.toNanos();
        this.limit = limit;
        this.worker = Thread.ofVirtual().name("s3-trim-" + Objects.requireNonNull(name, "name")).start(this::run);
    }

    /**
     * Queues {@code location} for trimming after the grace period. When the queue is full the
     * oldest queued range is trimmed now, on this thread; after {@link #close} the location itself is.
     */
    void release(DataLocation location) {
        Objects.requireNonNull(location, "location");
        boolean queued;
        DataLocation evicted = null;
        lock.lock();
        try {
            queued = !closed;
            if (queued) {
                if (queue.size() >= limit) {
                    // Still counted in pending: trimOne below settles it.
                    evicted = queue.pollFirst().location();
                }
                queue.addLast(new Pending(location, System.nanoTime() + graceNanos));
                pending++;
                if (queue.size() == 1) {
                    // Only an empty queue leaves the worker waiting without a deadline: otherwise
                    // it waits for the head, which is due before this one.
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (!queued) {
            trimQuietly(location);
        } else if (evicted != null) {
            trimOne(evicted);
        }
    }

    /**
     * Waits until nothing is queued or being trimmed: every location handed in so far has been
     * trimmed or counted as garbage. With a grace period that takes at least the grace period.
     */
    void settle() throws InterruptedException {
        lock.lock();
        try {
            while (pending > 0) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Pending next;
            lock.lock();
            try {
                next = nextDue();
            } finally {
                lock.unlock();
            }
            if (next == null) {
                return;
            }
            trimOne(next.location());
        }
    }

    /** Waits for the oldest release to come due (at once when closed); null once closed and empty. */
    private Pending nextDue() {
        while (true) {
            Pending head = queue.peekFirst();
            if (head == null) {
                if (closed) {
                    return null;
                }
                changed.awaitUninterruptibly();
                continue;
            }
            long wait = head.dueNanos() - System.nanoTime();
            if (wait <= BATCH_NANOS || closed) {
                return queue.pollFirst();
            }
            try {
                changed.awaitNanos(wait);
            } catch (InterruptedException e) {
                // Only close() stops the worker (an interrupt during file I/O would close the
                // chunk's file channel); keep waiting.
            }
        }
    }

    /** Trims a queued location and settles its count. */
    private void trimOne(DataLocation location) {
        try {
            trimQuietly(location);
        } finally {
            lock.lock();
            try {
                pending--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void trimQuietly(DataLocation location) {
        try {
            trim.accept(location);
        } catch (RuntimeException e) {
            log.warn("trimming a released range failed: {}", e.toString());
        }
    }

    /**
     * Trims everything still queued at once, grace or not, and stops the worker, so that the
     * volumes are closed with every release applied (their readers are closing too).
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        // Keeps waiting through interrupts: the volumes must not close under a running trim.
        while (worker.isAlive()) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
