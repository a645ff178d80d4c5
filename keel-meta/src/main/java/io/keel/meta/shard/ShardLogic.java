package io.keel.meta.shard;

import io.keel.meta.store.KvWriter;
import io.keel.meta.store.ReplicatedLogic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state machine logic of one index shard: applies {@link ShardBatch} commands encoded by
 * {@link ShardCodec} and answers with an encoded {@link ShardOutcome}. Deterministic: it reads only
 * the command and the state.
 *
 * <p>It knows nothing of S3 on purpose (ADR 0041): the gateway expresses S3's rules as conditions,
 * so this stays small enough to test exhaustively, and a bug in S3 logic cannot corrupt a replica
 * in a way that differs between replicas.
 */
public final class ShardLogic implements ReplicatedLogic {
    @Override
    public byte[] apply(long index, byte[] command, KvWriter kv) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(kv, "kv");
        if (ShardGroupCodec.isGroup(command)) {
            return applyGroup(command, kv);
        }
        ShardBatch batch;
        try {
            batch = ShardCodec.decode(command);
        } catch (IllegalArgumentException e) {
            // Never guess at garbage: the whole command is refused and the client is told why.
            return ShardCodec.encodeOutcome(new ShardOutcome.Rejected("malformed batch: " + e.getMessage()));
        }
        return ShardCodec.encodeOutcome(apply(batch, kv));
    }

    /**
     * Applies the members of a group one after the other, each as if it were its own entry: its
     * conditions see what the members before it wrote, and a member that fails writes nothing and
     * fails only itself. A group that does not decode is refused whole (one outcome for all).
     */
    private byte[] applyGroup(byte[] command, KvWriter kv) {
        List<byte[]> members;
        List<ShardBatch> batches = new ArrayList<>();
        try {
            members = ShardGroupCodec.decode(command);
            for (byte[] m : members) {
                batches.add(ShardCodec.decode(m));
            }
        } catch (IllegalArgumentException e) {
            return ShardCodec.encodeOutcome(new ShardOutcome.Rejected("malformed group: " + e.getMessage()));
        }
        List<byte[]> outcomes = new ArrayList<>(batches.size());
        for (ShardBatch b : batches) {
            outcomes.add(ShardCodec.encodeOutcome(apply(b, kv)));
        }
        return ShardGroupCodec.encodeOutcomes(outcomes);
    }

    /** Applies a decoded batch; writes nothing unless the outcome is {@link ShardOutcome.Applied}. */
    public ShardOutcome apply(ShardBatch batch, KvWriter kv) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(kv, "kv");
        // Nothing is written before all conditions are checked, so they see the state before the batch.
        for (int i = 0; i < batch.conditions().size(); i++) {
            if (!holds(batch.conditions().get(i), kv)) {
                return new ShardOutcome.Conflict(i);
            }
        }
        // The operations run in order against an overlay of the batch's own writes (what a read
        // through the KvWriter would see after the earlier operations), and reach the KvWriter only
        // once every one succeeded: an Add that must be rejected then leaves no earlier Put behind.
        Map<String, Optional<byte[]>> pending = new LinkedHashMap<>();
        for (ShardBatch.Op op : batch.ops()) {
            switch (op) {
                case ShardBatch.Put p -> pending.put(p.key(), Optional.of(p.value()));
                case ShardBatch.Delete d -> pending.put(d.key(), Optional.empty());
                case ShardBatch.Add a -> {
                    Optional<byte[]> current = pending.containsKey(a.key()) ? pending.get(a.key()) : kv.get(a.key());
                    long sum;
                    try {
                        sum = Math.addExact(counter(a.key(), current), a.delta());
                    } catch (IllegalStateException | ArithmeticException e) {
                        return new ShardOutcome.Rejected("Add to " + a.key() + ": " + e.getMessage());
                    }
                    pending.put(a.key(), sum == 0 ? Optional.empty() : Optional.of(counterBytes(sum)));
                }
            }
        }
        for (Map.Entry<String, Optional<byte[]>> e : pending.entrySet()) {
            if (e.getValue().isPresent()) {
                kv.put(e.getKey(), e.getValue().get());
            } else {
                kv.delete(e.getKey());
            }
        }
        return new ShardOutcome.Applied();
    }

    private static boolean holds(ShardBatch.Condition condition, KvWriter kv) {
        Optional<byte[]> current = kv.get(condition.key());
        return switch (condition) {
            case ShardBatch.Equals e -> current.isPresent() && Arrays.equals(current.get(), e.value());
            case ShardBatch.Absent a -> current.isEmpty();
        };
    }

    private static long counter(String key, Optional<byte[]> value) {
        if (value.isEmpty()) {
            return 0;
        }
        byte[] v = value.get();
        if (v.length != Long.BYTES) {
            throw new IllegalStateException("value of " + key + " has " + v.length + " bytes, not an 8-byte counter");
        }
        return ByteBuffer.wrap(v).getLong();
    }

    /** The stored form of a counter: 8 bytes, big-endian. */
    public static byte[] counterBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** Reads a counter as {@link ShardBatch.Add} stores it; absent counts as 0. */
    public static long counterValue(Optional<byte[]> value) {
        Objects.requireNonNull(value, "value");
        return counter("counter", value);
    }
}
