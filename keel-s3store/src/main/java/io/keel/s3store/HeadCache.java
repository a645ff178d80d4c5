package io.keel.s3store;

import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The key heads this gateway last saw or wrote, so a PUT can build its conditional batch without
 * first reading the head from the index shard (a linearizable read, a third of a small PUT's
 * time). Only a guess: the batch is conditioned on the head it assumed, so a stale entry costs a
 * failed commit and a retry that reads, never a lost update. A key not cached is guessed absent,
 * which is right for every new object. Bounded, least recently used out first.
 */
final class HeadCache {
    static final int DEFAULT_CAPACITY = 16_384;

    private final Map<String, Read<KeyHead>> heads;

    HeadCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.heads = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Read<KeyHead>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The head last seen under {@code shardKey}; empty means "probably absent". */
    synchronized Optional<Read<KeyHead>> guess(String shardKey) {
        return Optional.ofNullable(heads.get(Objects.requireNonNull(shardKey, "shardKey")));
    }

    /** Records what a read found or a commit wrote; an empty head forgets the key. */
    synchronized void seen(String shardKey, Optional<Read<KeyHead>> head) {
        Objects.requireNonNull(shardKey, "shardKey");
        head.ifPresentOrElse(h -> heads.put(shardKey, h), () -> heads.remove(shardKey));
    }
}
