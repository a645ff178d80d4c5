package io.keel.meta.shard;

import java.util.Objects;

/** One key and its value; the value array is not copied, callers must not change it. */
public record ShardEntry(String key, byte[] value) {
    public ShardEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
