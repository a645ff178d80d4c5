package io.keel.storage.volume;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * One read/write lock per chunk index. Data writes share a chunk's lock so they run in parallel;
 * anything that changes the chunk's version or replica set (dropping, adding, allocating,
 * copying, repairing blocks) takes it exclusively, so no write is in flight with a version that
 * is about to move. The locks belong to no thread ({@link OwnerlessLock}): a write started
 * asynchronously gives its shared hold back on the thread that completes it.
 */
final class ChunkLocks {
    private final ConcurrentHashMap<Long, OwnerlessLock> locks = new ConcurrentHashMap<>();

    /** The shared side as a {@link Lock}; its unlock may run on any thread. */
    Lock shared(long index) {
        return lock(index).shared();
    }

    Lock exclusive(long index) {
        return lock(index).exclusive();
    }

    OwnerlessLock lock(long index) {
        // Locks are never removed: a volume has at most a few thousand chunks, and removing one
        // while another thread is about to lock it would split the chunk into two locks.
        return locks.computeIfAbsent(index, i -> new OwnerlessLock());
    }
}
