package io.keel.meta.shard;

import io.keel.meta.store.Utf8Keys;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The binary form of {@link ShardBatch} commands and of {@link ShardOutcome} results.
 *
 * <p>Binary rather than JSON: values are opaque bytes, batches are on the path of every object PUT,
 * and these bytes never leave Keel. Layout (version 1): a version byte; a varint count of
 * conditions, each a tag byte ({@code 1} Equals, {@code 2} Absent), the key and for Equals the
 * value; a varint count of operations, each a tag byte ({@code 1} Put, {@code 2} Delete,
 * {@code 3} Add), the key, then for Put the value and for Add an 8-byte big-endian delta. Keys and
 * values are a varint length then the bytes; keys are UTF-8. Varints are unsigned LEB128 of at most
 * 5 bytes.
 *
 * <p>Decoding is strict, because the shard applies whatever decodes: an unknown version or tag, a
 * length past the end, an overlong varint, invalid UTF-8, a count or size over the limits below, or
 * trailing bytes are all rejected with {@link IllegalArgumentException}, never read as a shorter batch.
 */
public final class ShardCodec {
    public static final byte VERSION = 1;
    /** S3 keys are at most 1024 bytes; the shard's prefixes and suffixes need far less than the rest. */
    public static final int MAX_KEY_BYTES = 16 * 1024;
    /** A version record with a 10,000-part extent list fits; a batch is one Raft log entry. */
    public static final int MAX_VALUE_BYTES = 8 * 1024 * 1024;
    public static final int MAX_ENTRIES = 10_000;

    private static final byte EQUALS = 1;
    private static final byte ABSENT = 2;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte ADD = 3;
    private static final byte APPLIED = 1;
    private static final byte CONFLICT = 2;
    private static final byte REJECTED = 3;

    private ShardCodec() {
    }

    /**
     * @throws IllegalArgumentException if a key is not valid Unicode or a limit is exceeded: the
     *     shard would refuse the batch anyway, better to fail before it is replicated
     */
    public static byte[] encode(ShardBatch batch) {
        Objects.requireNonNull(batch, "batch");
        checkCount(batch.conditions().size(), "conditions");
        checkCount(batch.ops().size(), "operations");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeVarint(out, batch.conditions().size());
            for (ShardBatch.Condition c : batch.conditions()) {
                switch (c) {
                    case ShardBatch.Equals e -> {
                        out.writeByte(EQUALS);
                        writeKey(out, e.key());
                        writeValue(out, e.value());
                    }
                    case ShardBatch.Absent a -> {
                        out.writeByte(ABSENT);
                        writeKey(out, a.key());
                    }
                }
            }
            writeVarint(out, batch.ops().size());
            for (ShardBatch.Op op : batch.ops()) {
                switch (op) {
                    case ShardBatch.Put p -> {
                        out.writeByte(PUT);
                        writeKey(out, p.key());
                        writeValue(out, p.value());
                    }
                    case ShardBatch.Delete d -> {
                        out.writeByte(DELETE);
                        writeKey(out, d.key());
                    }
                    case ShardBatch.Add a -> {
                        out.writeByte(ADD);
                        writeKey(out, a.key());
                        out.writeLong(a.delta());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException with the reason if the bytes are not exactly one valid batch */
    public static ShardBatch decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!in.hasRemaining()) {
            throw new IllegalArgumentException("empty batch");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown batch version " + version);
        }
        int nConditions = readCount(in, "conditions");
        List<ShardBatch.Condition> conditions = new ArrayList<>(nConditions);
        for (int i = 0; i < nConditions; i++) {
            byte tag = readByte(in);
            conditions.add(switch (tag) {
                case EQUALS -> new ShardBatch.Equals(readKey(in), readValue(in));
                case ABSENT -> new ShardBatch.Absent(readKey(in));
                default -> throw new IllegalArgumentException("unknown condition tag " + tag + " at condition " + i);
            });
        }
        int nOps = readCount(in, "operations");
        if (nOps == 0) {
            throw new IllegalArgumentException("batch has no operations");
        }
        List<ShardBatch.Op> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) {
            byte tag = readByte(in);
            ops.add(switch (tag) {
                case PUT -> new ShardBatch.Put(readKey(in), readValue(in));
                case DELETE -> new ShardBatch.Delete(readKey(in));
                case ADD -> new ShardBatch.Add(readKey(in), readLong(in));
                default -> throw new IllegalArgumentException("unknown operation tag " + tag + " at operation " + i);
            });
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the batch");
        }
        return new ShardBatch(conditions, ops);
    }

    public static byte[] encodeOutcome(ShardOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            switch (outcome) {
                case ShardOutcome.Applied a -> out.writeByte(APPLIED);
                case ShardOutcome.Conflict c -> {
                    out.writeByte(CONFLICT);
                    writeVarint(out, c.condition());
                }
                case ShardOutcome.Rejected r -> {
                    out.writeByte(REJECTED);
                    out.write(r.reason().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not an outcome */
    public static ShardOutcome decodeOutcome(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 2 || in.get() != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " shard outcome (" + bytes.length + " bytes)");
        }
        byte kind = in.get();
        ShardOutcome outcome = switch (kind) {
            case APPLIED -> new ShardOutcome.Applied();
            case CONFLICT -> new ShardOutcome.Conflict(readVarint(in));
            case REJECTED -> new ShardOutcome.Rejected(
                    new String(bytes, in.position(), in.remaining(), StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("unknown shard outcome " + kind);
        };
        if (kind == REJECTED) {
            in.position(in.limit());
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the outcome");
        }
        return outcome;
    }

    private static void checkCount(int n, String what) {
        if (n > MAX_ENTRIES) {
            throw new IllegalArgumentException("batch has " + n + " " + what + ", at most " + MAX_ENTRIES);
        }
    }

    private static void writeKey(DataOutputStream out, String key) throws IOException {
        byte[] utf8 = Utf8Keys.encode(key);
        if (utf8.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + utf8.length + " bytes, at most " + MAX_KEY_BYTES);
        }
        writeVarint(out, utf8.length);
        out.write(utf8);
    }

    private static void writeValue(DataOutputStream out, byte[] value) throws IOException {
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value of " + value.length + " bytes, at most " + MAX_VALUE_BYTES);
        }
        writeVarint(out, value.length);
        out.write(value);
    }

    static void writeVarint(DataOutputStream out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte(in);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("varint " + value + " out of range");
                }
                return (int) value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    private static int readCount(ByteBuffer in, String what) {
        int n = readVarint(in);
        checkCount(n, what);
        return n;
    }

    static byte readByte(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw new IllegalArgumentException("batch truncated at byte " + in.position());
        }
        return in.get();
    }

    private static long readLong(ByteBuffer in) {
        if (in.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("batch truncated at byte " + in.position() + " (counter delta)");
        }
        return in.getLong();
    }

    private static byte[] readBytes(ByteBuffer in, int max, String what) {
        int n = readVarint(in);
        if (n > max) {
            throw new IllegalArgumentException(what + " of " + n + " bytes, at most " + max);
        }
        if (n > in.remaining()) {
            throw new IllegalArgumentException(what + " of " + n + " bytes runs past the end of the batch");
        }
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    private static String readKey(ByteBuffer in) {
        byte[] utf8 = readBytes(in, MAX_KEY_BYTES, "key");
        return Utf8Keys.decode(utf8, 0, utf8.length);
    }

    private static byte[] readValue(ByteBuffer in) {
        return readBytes(in, MAX_VALUE_BYTES, "value");
    }
}
