package io.keel.meta.shard;

import java.util.List;
import java.util.Objects;

/**
 * Writes applied together, only if every condition holds when the shard applies them. Conditions
 * are checked against the state before the batch; operations apply in list order.
 */
public record ShardBatch(List<Condition> conditions, List<Op> ops) {
    public ShardBatch {
        conditions = List.copyOf(conditions);
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a batch writes something");
        }
    }

    public static ShardBatch of(List<Op> ops) {
        return new ShardBatch(List.of(), ops);
    }

    /** What must be true before the batch applies. */
    public sealed interface Condition {
        String key();
    }

    /** The key holds exactly these bytes. */
    public record Equals(String key, byte[] value) implements Condition {
        public Equals {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The key holds nothing. */
    public record Absent(String key) implements Condition {
        public Absent {
            Objects.requireNonNull(key, "key");
        }
    }

    /** One write. */
    public sealed interface Op {
        String key();
    }

    public record Put(String key, byte[] value) implements Op {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public record Delete(String key) implements Op {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Adds {@code delta} to a counter stored as an 8-byte big-endian long (absent counts as 0); a
     * counter that reaches 0 is removed. Counters never conflict, so concurrent PUTs to one
     * bucket do not retry over its object count.
     */
    public record Add(String key, long delta) implements Op {
        public Add {
            Objects.requireNonNull(key, "key");
        }
    }
}
