package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame body, turning every way the bytes can be wrong into a
 * {@link ProtocolException}. Nothing here trusts a count or length before checking it against
 * the bytes actually present, so hostile input cannot cause large allocations.
 */
final class FieldReader {
    /** Smallest encoding of a chunk id: length byte, one character, index. */
    static final int MIN_CHUNK_ID_BYTES = 1 + 1 + 8;
    static final int MIN_CHUNK_INFO_BYTES = MIN_CHUNK_ID_BYTES + 24;

    private final ByteBuffer b;

    FieldReader(ByteBuffer body) {
        this.b = body;
    }

    int remaining() {
        return b.remaining();
    }

    private void need(int n, String what) throws ProtocolException {
        if (b.remaining() < n) {
            throw new ProtocolException("frame too short for " + what + ": needs " + n + " more bytes, has "
                    + b.remaining());
        }
    }

    int u8(String what) throws ProtocolException {
        need(1, what);
        return b.get() & 0xFF;
    }

    int u16(String what) throws ProtocolException {
        need(2, what);
        return b.getShort() & 0xFFFF;
    }

    int i32(String what) throws ProtocolException {
        need(4, what);
        return b.getInt();
    }

    long i64(String what) throws ProtocolException {
        need(8, what);
        return b.getLong();
    }

    int nonNegativeI32(String what) throws ProtocolException {
        int v = i32(what);
        if (v < 0) {
            throw new ProtocolException("negative " + what + ": " + v);
        }
        return v;
    }

    long nonNegativeI64(String what) throws ProtocolException {
        long v = i64(what);
        if (v < 0) {
            throw new ProtocolException("negative " + what + ": " + v);
        }
        return v;
    }

    boolean bool(String what) throws ProtocolException {
        int v = u8(what);
        if (v > 1) {
            throw new ProtocolException("invalid " + what + ": " + v);
        }
        return v == 1;
    }

    /** A count of elements each at least {@code minBytes} long, checked against what is left. */
    int count(String what, int minBytes) throws ProtocolException {
        int n = nonNegativeI32(what);
        if ((long) n * minBytes > b.remaining()) {
            throw new ProtocolException(what + " of " + n + " does not fit in the " + b.remaining()
                    + " bytes left in the frame");
        }
        return n;
    }

    ChunkId chunkId() throws ProtocolException {
        int len = u8("chunk id length");
        if (len < 1 || len > ChunkId.MAX_VOLUME_ID_LENGTH) {
            throw new ProtocolException("volume id length " + len + " is not 1-" + ChunkId.MAX_VOLUME_ID_LENGTH);
        }
        need(len, "volume id");
        char[] chars = new char[len];
        for (int i = 0; i < len; i++) {
            int c = b.get() & 0xFF;
            if (!ChunkId.isVolumeIdChar(c)) {
                throw new ProtocolException("invalid byte 0x" + Integer.toHexString(c) + " in volume id");
            }
            chars[i] = (char) c;
        }
        long index = nonNegativeI64("chunk index");
        return new ChunkId(new String(chars), index);
    }

    ChunkInfo chunkInfo() throws ProtocolException {
        ChunkId id = chunkId();
        long version = nonNegativeI64("version");
        long epoch = nonNegativeI64("epoch");
        long allocated = nonNegativeI64("allocated bytes");
        return new ChunkInfo(id, version, epoch, allocated);
    }

    /** A u16 length and that many bytes of strict UTF-8. */
    String string(String what) throws ProtocolException {
        int len = u16(what + " length");
        need(len, what);
        ByteBuffer bytes = b.slice(b.position(), len);
        b.position(b.position() + len);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("invalid UTF-8 in " + what);
        }
    }

    /** Everything left: a read-only view, not a copy. */
    ByteBuffer rest() {
        ByteBuffer v = b.slice().asReadOnlyBuffer();
        b.position(b.limit());
        return v;
    }

    void end(Opcode op) throws ProtocolException {
        if (b.hasRemaining()) {
            throw new ProtocolException(b.remaining() + " unexpected trailing bytes in " + op + " frame");
        }
    }
}
