package io.keel.s3store.data;

import io.keel.meta.shard.IndexShard;
import io.keel.meta.shard.ShardBatch;
import io.keel.meta.shard.ShardUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ReservationLog} in an object index shard (ADR 0040's Raft groups; ADR 0042). Records:
 * {@code a/<volumeId>} the volume's high-water mark as an 8-byte big-endian long, {@code
 * w/<writerId>} the writer's active volume id in UTF-8. Each change is one conditional batch
 * ({@code Equals} the expected value, or {@code Absent} for none), so it is a compare-and-set.
 */
public final class IndexShardReservationLog implements ReservationLog {
    static final String MARK = "a/";
    static final String ACTIVE = "w/";

    private final IndexShard shard;

    public IndexShardReservationLog(IndexShard shard) {
        this.shard = Objects.requireNonNull(shard, "shard");
    }

    @Override
    public long highWater(String volumeId) throws IOException {
        Objects.requireNonNull(volumeId, "volumeId");
        return get(MARK + volumeId).map(IndexShardReservationLog::decode).orElse(0L);
    }

    @Override
    public long reserve(String volumeId, long from, long upTo) throws IOException {
        Objects.requireNonNull(volumeId, "volumeId");
        if (from < 0 || upTo <= from) {
            throw new IllegalArgumentException("a reservation raises the mark: " + from + " -> " + upTo);
        }
        String key = MARK + volumeId;
        // A mark is never stored as 0, so "nothing reserved yet" is the key's absence.
        ShardBatch.Condition expected = from == 0 ? new ShardBatch.Absent(key)
                : new ShardBatch.Equals(key, encode(from));
        if (commit(new ShardBatch(List.of(expected), List.of(new ShardBatch.Put(key, encode(upTo)))))) {
            return upTo;
        }
        return highWater(volumeId);
    }

    @Override
    public Optional<String> activeVolume(String writer) throws IOException {
        Objects.requireNonNull(writer, "writer");
        return get(ACTIVE + writer).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public boolean activate(String writer, String expected, String next) throws IOException {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(next, "next");
        String key = ACTIVE + writer;
        ShardBatch.Condition condition = expected == null ? new ShardBatch.Absent(key)
                : new ShardBatch.Equals(key, expected.getBytes(StandardCharsets.UTF_8));
        return commit(new ShardBatch(List.of(condition),
                List.of(new ShardBatch.Put(key, next.getBytes(StandardCharsets.UTF_8)))));
    }

    private Optional<byte[]> get(String key) throws IOException {
        try {
            return shard.get(key);
        } catch (ShardUnavailableException e) {
            throw new IOException("index shard " + shard.shardId() + " unavailable reading " + key + ": "
                    + e.getMessage(), e);
        }
    }

    private boolean commit(ShardBatch batch) throws IOException {
        try {
            return shard.commit(batch);
        } catch (ShardUnavailableException e) {
            // The outcome is unknown: callers retry, and a retry of an applied change reads as done.
            throw new IOException("index shard " + shard.shardId() + " unavailable writing "
                    + batch.ops().getFirst().key() + ": " + e.getMessage(), e);
        }
    }

    static byte[] encode(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long decode(byte[] bytes) {
        if (bytes.length != Long.BYTES) {
            throw new IllegalStateException("a reservation mark is 8 bytes, not " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }
}
