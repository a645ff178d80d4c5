package io.keel.s3store.index;

import java.util.Objects;

/** A record as read from the shard, with the exact bytes a compare-and-set condition must name. */
public record Read<T>(String shardKey, T value, byte[] raw) {
    public Read {
        Objects.requireNonNull(shardKey, "shardKey");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(raw, "raw");
    }
}
