package io.keel.storage.chunk;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the number of chunks with open files near a limit by closing the least recently used.
 * A disk can hold far more chunks than a process may have file descriptors.
 */
final class OpenFileLimit {
    private final int max;
    private final Set<Chunk> open = ConcurrentHashMap.newKeySet();

    OpenFileLimit(int max) {
        this.max = max;
    }

    /**
     * Called by a chunk that just opened its files, while holding its own lock. Evicts down to
     * 90% of the limit so that the scan is not repeated on every open.
     */
    void opened(Chunk c) {
        open.add(c);
        if (open.size() <= max) {
            return;
        }
        int target = Math.max(1, max - Math.max(1, max / 10));
        List<Chunk> byAge = open.stream()
                .filter(x -> x != c)
                .sorted(Comparator.comparingLong(x -> x.lastUsedNanos))
                .toList();
        for (Chunk victim : byAge) {
            if (open.size() <= target) {
                break;
            }
            // tryLock: never wait for another chunk while holding one, so no lock-order deadlock.
            if (victim.lock.writeLock().tryLock()) {
                try {
                    if (victim.pins.get() == 0) { // a force outside the lock is still using the files
                        victim.closeFiles();
                        open.remove(victim);
                    }
                } finally {
                    victim.lock.writeLock().unlock();
                }
            }
        }
    }

    void closed(Chunk c) {
        open.remove(c);
    }

    void clear() {
        open.clear();
    }
}
