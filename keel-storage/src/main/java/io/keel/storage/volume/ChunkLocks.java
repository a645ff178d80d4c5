package io.keel.storage.volume;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * One read/write lock per chunk index. Data writes share a chunk's lock so they run in parallel;
 * anything that changes the chunk's version or replica set (dropping, adding, allocating,
 * copying, repairing blocks) takes it exclusively, so no write is in flight with a version that
 * is about to move.
 *
 * <p>The locks belong to no thread ({@link StampedLock}): an asynchronous write takes the shared
 * side on the thread that starts it and gives it back on whichever thread sees the last replica
 * answer (ADR 0013, "writes started inline"). The price is that they are not reentrant; no caller
 * takes a chunk's lock while it already holds it.
 */
final class ChunkLocks {
    private final ConcurrentHashMap<Long, StampedLock> locks = new ConcurrentHashMap<>();

    /** The shared side as a {@link Lock}; its unlock may run on any thread. */
    Lock shared(long index) {
        return lock(index).asReadLock();
    }

    Lock exclusive(long index) {
        return lock(index).asWriteLock();
    }

    /** Takes the shared side, blocking while an exclusive holder or waiter is there; returns the stamp. */
    long lockShared(long index) {
        return lock(index).readLock();
    }

    /** Gives back what {@link #lockShared} took; any thread may call it. */
    void unlockShared(long index, long stamp) {
        lock(index).unlockRead(stamp);
    }

    private StampedLock lock(long index) {
        // Locks are never removed: a volume has at most a few thousand chunks, and removing one
        // while another thread is about to lock it would split the chunk into two locks.
        return locks.computeIfAbsent(index, i -> new StampedLock());
    }
}
