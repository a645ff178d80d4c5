package io.keel.meta.raft;

import io.keel.meta.store.Utf8Keys;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The small binary encodings between {@link MetaClient} and {@link MetaStateMachine}.
 * Binary rather than JSON because values are opaque bytes and these messages never leave Keel.
 */
final class Wire {
    static final byte OP_GET = 1;
    static final byte OP_SCAN = 2;
    static final byte OP_RANGE = 3;

    private Wire() {
    }

    /** A read-only query. */
    sealed interface Query permits Get, Prefix, Range {
    }

    /** One op byte followed by the UTF-8 key. */
    record Get(String key) implements Query {
    }

    /** One op byte followed by the UTF-8 prefix. */
    record Prefix(String prefix) implements Query {
    }

    /** One op byte, then from, a presence byte and toExclusive if present, then the limit. */
    record Range(String from, String toExclusive, int limit) implements Query {
    }

    static Message query(byte op, String arg) {
        byte[] utf8 = arg.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length + 1];
        out[0] = op;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(out));
    }

    static Message rangeQuery(String from, String toExclusive, int limit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(OP_RANGE);
            writeBytes(out, from.getBytes(StandardCharsets.UTF_8));
            out.writeBoolean(toExclusive != null);
            if (toExclusive != null) {
                writeBytes(out, toExclusive.getBytes(StandardCharsets.UTF_8));
            }
            out.writeInt(limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes.toByteArray()));
    }

    static Query parseQuery(ByteString content) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException("empty query");
        }
        byte op = content.byteAt(0);
        return switch (op) {
            case OP_GET -> new Get(content.substring(1).toStringUtf8());
            case OP_SCAN -> new Prefix(content.substring(1).toStringUtf8());
            case OP_RANGE -> parseRange(content);
            default -> throw new IllegalArgumentException("unknown query op " + op);
        };
    }

    private static Range parseRange(ByteString content) {
        try (DataInputStream in = new DataInputStream(content.substring(1).newInput())) {
            String from = new String(readBytes(in), StandardCharsets.UTF_8);
            String to = in.readBoolean() ? new String(readBytes(in), StandardCharsets.UTF_8) : null;
            int limit = in.readInt();
            if (in.available() > 0) {
                throw new IllegalArgumentException("range query has trailing bytes");
            }
            return new Range(from, to, limit);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed range query", e);
        }
    }

    /** Entries in the order given (a list, not a map: the range order is UTF-8 byte order). */
    static Message rangeReply(List<Map.Entry<String, byte[]>> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Map.Entry<String, byte[]> e : entries) {
                writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes.toByteArray()));
    }

    static List<Map.Entry<String, byte[]>> parseRangeReply(ByteString content) {
        try (DataInputStream in = new DataInputStream(content.newInput())) {
            int n = in.readInt();
            if (n < 0) {
                throw new IllegalArgumentException("malformed range reply: negative count");
            }
            List<Map.Entry<String, byte[]>> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                String k = new String(readBytes(in), StandardCharsets.UTF_8);
                out.add(Map.entry(k, readBytes(in)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed range reply", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("length " + n + " out of bounds");
        }
        return in.readNBytes(n);
    }

    static Message getReply(Optional<byte[]> value) {
        if (value.isEmpty()) {
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {0}));
        }
        byte[] v = value.get();
        byte[] out = new byte[v.length + 1];
        out[0] = 1;
        System.arraycopy(v, 0, out, 1, v.length);
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(out));
    }

    static Optional<byte[]> parseGetReply(ByteString content) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException("empty get reply");
        }
        return content.byteAt(0) == 0 ? Optional.empty() : Optional.of(content.substring(1).toByteArray());
    }

    static Message scanReply(SortedMap<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeInt(k.length);
                out.write(k);
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes.toByteArray()));
    }

    static SortedMap<String, byte[]> parseScanReply(ByteString content) {
        SortedMap<String, byte[]> out = new TreeMap<>(Utf8Keys.ORDER); // the store's order, not UTF-16 order
        try (DataInputStream in = new DataInputStream(content.newInput())) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] k = in.readNBytes(in.readInt());
                byte[] v = in.readNBytes(in.readInt());
                out.put(new String(k, StandardCharsets.UTF_8), v);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed scan reply", e);
        }
        return out;
    }

    /** A command's reply: the 8-byte log index it was applied at, then the logic's result bytes. */
    static Message applyReply(long index, byte[] result) {
        byte[] r = result == null ? new byte[0] : result;
        byte[] out = ByteBuffer.allocate(8 + r.length).putLong(index).put(r).array();
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(out));
    }

    static MetaClient.SubmitResult parseApplyReply(ByteString content) {
        byte[] all = content.toByteArray();
        if (all.length < 8) {
            throw new IllegalArgumentException("malformed command reply of " + all.length + " bytes");
        }
        long index = ByteBuffer.wrap(all).getLong();
        return new MetaClient.SubmitResult(Arrays.copyOfRange(all, 8, all.length), index);
    }
}
