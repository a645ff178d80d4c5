package io.keel.meta.shard;

import java.util.List;
import java.util.Optional;

/**
 * One object index shard (ADR 0040): an ordered, replicated key-value map with atomic
 * conditional batches. It knows nothing of S3; the gateway keeps S3's rules and uses the
 * conditions for compare-and-set, so one shard command can commit a version record, the bucket
 * counters and the data accounting together, or nothing.
 *
 * <p>Keys are UTF-8 strings compared by their UTF-8 bytes (which is the order S3 lists keys in).
 * Reads are linearizable: they see every batch committed before the read began.
 */
public interface IndexShard {
    String shardId();

    Optional<byte[]> get(String key) throws ShardUnavailableException;

    /**
     * Entries with {@code from <= key < toExclusive} in ascending key order, at most {@code limit}
     * of them. {@code toExclusive} null means no upper bound.
     */
    List<ShardEntry> scan(String from, String toExclusive, int limit) throws ShardUnavailableException;

    /**
     * Applies the batch atomically if every condition holds. Returns false, having written
     * nothing, when one does not; the caller re-reads and retries.
     */
    boolean commit(ShardBatch batch) throws ShardUnavailableException;
}
