package io.keel.storage.volume;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One read/write lock per chunk index. Data writes share a chunk's lock so they run in parallel;
 * anything that changes the chunk's version or replica set (dropping, adding, allocating,
 * copying, repairing blocks) takes it exclusively, so no write is in flight with a version that
 * is about to move.
 */
final class ChunkLocks {
    private final ConcurrentHashMap<Long, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

    ReentrantReadWriteLock.ReadLock shared(long index) {
        return lock(index).readLock();
    }

    ReentrantReadWriteLock.WriteLock exclusive(long index) {
        return lock(index).writeLock();
    }

    private ReentrantReadWriteLock lock(long index) {
        // Locks are never removed: a volume has at most a few thousand chunks, and removing one
        // while another thread is about to lock it would split the chunk into two locks.
        return locks.computeIfAbsent(index, i -> new ReentrantReadWriteLock());
    }
}
