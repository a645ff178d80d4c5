package io.keel.meta.shard;

import java.util.Objects;

/** What a shard did with one batch: the result bytes of {@link ShardLogic}, decoded by {@link ShardCodec}. */
public sealed interface ShardOutcome {
    /** Every condition held; every operation was applied. */
    record Applied() implements ShardOutcome {
    }

    /** The condition at this index in the batch did not hold; nothing was written. */
    record Conflict(int condition) implements ShardOutcome {
        public Conflict {
            if (condition < 0) {
                throw new IllegalArgumentException("condition index must not be negative: " + condition);
            }
        }
    }

    /**
     * The command could not be applied at all (malformed bytes, a counter that is not 8 bytes, an
     * overflowing counter); nothing was written. This is a bug in the caller, not a race to retry.
     */
    record Rejected(String reason) implements ShardOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
