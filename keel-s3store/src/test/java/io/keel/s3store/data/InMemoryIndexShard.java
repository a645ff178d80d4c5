package io.keel.s3store.data;

import io.keel.meta.shard.IndexShard;
import io.keel.meta.shard.ShardBatch;
import io.keel.meta.shard.ShardEntry;
import io.keel.meta.shard.ShardUnavailableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An index shard in memory with the real one's batch rules (conditions checked against the state
 * before the batch, all or nothing). {@link #unavailable} makes the next requests fail, and
 * {@link #loseNextAnswer} applies the next batch but reports it as failed, as a Raft group whose
 * leader dies after committing does.
 */
final class InMemoryIndexShard implements IndexShard {
    private final TreeMap<String, byte[]> entries = new TreeMap<>();
    private boolean unavailable;
    private boolean loseNextAnswer;
    private int commits;

    @Override
    public String shardId() {
        return "idx-test";
    }

    synchronized void unavailable(boolean on) {
        unavailable = on;
    }

    synchronized void loseNextAnswer() {
        loseNextAnswer = true;
    }

    synchronized int commits() {
        return commits;
    }

    @Override
    public synchronized Optional<byte[]> get(String key) throws ShardUnavailableException {
        check();
        return Optional.ofNullable(entries.get(key)).map(byte[]::clone);
    }

    @Override
    public synchronized List<ShardEntry> scan(String from, String toExclusive, int limit)
            throws ShardUnavailableException {
        check();
        List<ShardEntry> out = new ArrayList<>();
        var range = toExclusive == null ? entries.tailMap(from, true) : entries.subMap(from, true, toExclusive, false);
        for (var e : range.entrySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(new ShardEntry(e.getKey(), e.getValue().clone()));
        }
        return out;
    }

    @Override
    public synchronized boolean commit(ShardBatch batch) throws ShardUnavailableException {
        check();
        for (ShardBatch.Condition c : batch.conditions()) {
            byte[] cur = entries.get(c.key());
            boolean holds = switch (c) {
                case ShardBatch.Equals eq -> cur != null && Arrays.equals(cur, eq.value());
                case ShardBatch.Absent ignored -> cur == null;
            };
            if (!holds) {
                return false;
            }
        }
        for (ShardBatch.Op op : batch.ops()) {
            switch (op) {
                case ShardBatch.Put p -> entries.put(p.key(), p.value().clone());
                case ShardBatch.Delete d -> entries.remove(d.key());
                case ShardBatch.Add a -> {
                    byte[] cur = entries.get(a.key());
                    long v = (cur == null ? 0 : ByteBuffer.wrap(cur).getLong()) + a.delta();
                    if (v == 0) {
                        entries.remove(a.key());
                    } else {
                        entries.put(a.key(), ByteBuffer.allocate(Long.BYTES).putLong(v).array());
                    }
                }
            }
        }
        commits++;
        if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new ShardUnavailableException("leader lost after commit");
        }
        return true;
    }

    private void check() throws ShardUnavailableException {
        if (unavailable) {
            throw new ShardUnavailableException("no leader");
        }
    }
}
