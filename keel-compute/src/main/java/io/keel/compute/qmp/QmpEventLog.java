package io.keel.compute.qmp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The most recent events of one connection, numbered, so a caller can wait for an event caused by
 * its own command without a race: QEMU sends STOP before the reply to {@code stop}, so waiting
 * only after the reply would miss it. Take {@link #mark()} before the command and await events
 * after the mark.
 */
public final class QmpEventLog {
    private record Entry(long seq, QmpEvent event) {}

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long lastSeq;
    private QmpException closedBy;

    public QmpEventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(QmpEvent event) {
        Objects.requireNonNull(event, "event");
        lock.lock();
        try {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(new Entry(++lastSeq, event));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** No more events will come; waiters that find nothing fail with {@code cause} instead of timing out. */
    public void close(QmpException cause) {
        Objects.requireNonNull(cause, "cause");
        lock.lock();
        try {
            if (closedBy == null) {
                closedBy = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The number of the latest event so far: events after it are the ones still to come. */
    public long mark() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first event after {@code mark} that matches, waiting up to {@code timeout}. Events already
     * received still count after the connection closed (QEMU sends SHUTDOWN just before it goes).
     *
     * @throws QmpTimeoutException if none arrived in time
     * @throws QmpClosedException  if the connection closed without one
     */
    public QmpEvent await(Predicate<QmpEvent> match, String what, long mark, Duration timeout)
            throws QmpException, InterruptedException {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long seen = mark;
            while (true) {
                for (Entry e : entries) {
                    if (e.seq() > seen && match.test(e.event())) {
                        return e.event();
                    }
                }
                seen = lastSeq;
                if (closedBy != null) {
                    throw new QmpClosedException("no " + what + " event before the QMP connection closed ("
                            + closedBy.getMessage() + ")", closedBy);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new QmpTimeoutException("no " + what + " event within " + timeout.toMillis() + " ms");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
