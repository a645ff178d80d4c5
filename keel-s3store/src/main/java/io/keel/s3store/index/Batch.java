package io.keel.s3store.index;

import io.keel.meta.shard.ShardBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds one conditional shard batch: the compare-and-set conditions on what the operation read
 * and the writes that follow from it. Mutable while being built by one thread, then frozen by
 * {@link #build()}.
 */
public final class Batch {
    private final IndexCodec codec;
    private final List<ShardBatch.Condition> conditions = new ArrayList<>();
    private final List<ShardBatch.Op> ops = new ArrayList<>();

    public Batch(IndexCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The record must still hold the bytes we read. */
    public Batch unchanged(Read<?> read) {
        conditions.add(new ShardBatch.Equals(read.shardKey(), read.raw()));
        return this;
    }

    public Batch absent(String key) {
        conditions.add(new ShardBatch.Absent(key));
        return this;
    }

    public Batch equalsRaw(String key, byte[] raw) {
        conditions.add(new ShardBatch.Equals(key, raw));
        return this;
    }

    public Batch put(String key, Object record) {
        ops.add(new ShardBatch.Put(key, codec.encode(record)));
        return this;
    }

    public Batch putRaw(String key, byte[] raw) {
        ops.add(new ShardBatch.Put(key, raw));
        return this;
    }

    public Batch delete(String key) {
        ops.add(new ShardBatch.Delete(key));
        return this;
    }

    public Batch add(String bucketId, Counter counter, long delta) {
        if (delta != 0) {
            ops.add(new ShardBatch.Add(IndexKeys.counter(bucketId, counter), delta));
        }
        return this;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    public ShardBatch build() {
        return new ShardBatch(conditions, ops);
    }
}
