package io.keel.meta.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    private Wire() {
    }

    /** A read-only query: one op byte followed by the UTF-8 key or prefix. */
    record Query(byte op, String arg) {
    }

    static Message query(byte op, String arg) {
        byte[] utf8 = arg.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length + 1];
        out[0] = op;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(out));
    }

    static Query parseQuery(ByteString content) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException("empty query");
        }
        byte op = content.byteAt(0);
        if (op != OP_GET && op != OP_SCAN) {
            throw new IllegalArgumentException("unknown query op " + op);
        }
        return new Query(op, content.substring(1).toStringUtf8());
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
        SortedMap<String, byte[]> out = new TreeMap<>();
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
