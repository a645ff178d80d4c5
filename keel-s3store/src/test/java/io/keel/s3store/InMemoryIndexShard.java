package io.keel.s3store;

import io.keel.meta.shard.IndexShard;
import io.keel.meta.shard.ShardBatch;
import io.keel.meta.shard.ShardEntry;
import io.keel.s3store.index.IndexCodec;
import io.keel.s3store.index.Utf8Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** An index shard in memory: keys in UTF-8 byte order, batches atomic under one lock, conditions honoured. */
final class InMemoryIndexShard implements IndexShard {
    private final String id;
    private final TreeMap<String, byte[]> map = new TreeMap<>(Utf8Order.COMPARATOR);
    final AtomicLong commits = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();

    InMemoryIndexShard(String id) {
        this.id = id;
    }

    @Override
    public String shardId() {
        return id;
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        return Optional.ofNullable(map.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized List<ShardEntry> scan(String from, String toExclusive, int limit) {
        SortedMap<String, byte[]> range = toExclusive == null ? map.tailMap(from) : map.subMap(from, toExclusive);
        List<ShardEntry> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : range.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new ShardEntry(e.getKey(), e.getValue().clone()));
        }
        return out;
    }

    @Override
    public synchronized boolean commit(ShardBatch batch) {
        for (ShardBatch.Condition c : batch.conditions()) {
            byte[] have = map.get(c.key());
            boolean holds = switch (c) {
                case ShardBatch.Equals eq -> have != null && Arrays.equals(have, eq.value());
                case ShardBatch.Absent a -> have == null;
            };
            if (!holds) {
                conflicts.incrementAndGet();
                return false;
            }
        }
        for (ShardBatch.Op op : batch.ops()) {
            switch (op) {
                case ShardBatch.Put p -> map.put(p.key(), p.value().clone());
                case ShardBatch.Delete d -> map.remove(d.key());
                case ShardBatch.Add a -> {
                    long now = Optional.ofNullable(map.get(a.key())).map(IndexCodec::decodeLong).orElse(0L) + a.delta();
                    if (now == 0) {
                        map.remove(a.key());
                    } else {
                        map.put(a.key(), IndexCodec.encodeLong(now));
                    }
                }
            }
        }
        commits.incrementAndGet();
        return true;
    }

    synchronized Map<String, byte[]> snapshot() {
        return new TreeMap<>(map);
    }
}
