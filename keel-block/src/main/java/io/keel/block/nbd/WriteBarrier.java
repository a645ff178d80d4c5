package io.keel.block.nbd;

import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordering rule between writes and flushes on one connection. Every write-like request (write,
 * trim, write-zeroes) takes a sequence number in the order it was received; a flush waits until every
 * write received before it has finished on the device, then flushes. Writes received after a flush
 * may run concurrently with it; the protocol does not promise they are excluded from it.
 */
final class WriteBarrier {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long last;

    /** Called in reception order by the connection's reader. */
    long register() {
        lock.lock();
        try {
            long seq = ++last;
            inFlight.add(seq);
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number of the most recently received write; what a flush received now must cover. */
    long lastRegistered() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    void complete(long seq) {
        lock.lock();
        try {
            inFlight.remove(seq);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every write with a sequence number up to {@code seq} has completed. */
    void awaitThrough(long seq) {
        lock.lock();
        try {
            while (!inFlight.isEmpty() && inFlight.first() <= seq) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }
}
