package io.keel.storage.cs;

import io.keel.storage.chunk.ChecksumMismatchException;
import io.keel.storage.chunk.ChunkException;
import io.keel.storage.chunk.ChunkExistsException;
import io.keel.storage.chunk.ChunkIOException;
import io.keel.storage.chunk.ChunkId;
import io.keel.storage.chunk.ChunkInfo;
import io.keel.storage.chunk.ChunkNotFoundException;
import io.keel.storage.chunk.DiskFullException;
import io.keel.storage.chunk.Extent;
import io.keel.storage.chunk.InvalidRequestException;
import io.keel.storage.chunk.StaleEpochException;
import io.keel.storage.chunk.VersionMismatchException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes frames. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic 0x4B4C4353 ("KLCS")
 * 4       4     body length: bytes after this field, 9 .. maxPayload + 4096
 * 8       8     request id
 * 16      1     opcode ({@link Opcode})
 * 17      ...   the opcode's fields, then (WRITE, READ_REPLY) the payload up to the frame's end
 * </pre>
 *
 * A chunk id is a u8 length, that many ASCII bytes of {@code [A-Za-z0-9-]} and an i64 index; a
 * string is a u16 length and UTF-8; a list is an i32 count and its elements; an extent is an i64
 * offset and an i64 length, and a list of them must be sorted and neither overlap nor touch
 * (the store merges adjacent extents, so anything else is a broken peer). Fixed-size frames
 * with bytes left over are rejected, as is anything {@link FieldReader} finds wrong.
 *
 * <p>Stateless and thread-safe. {@link #decode} is the fuzzing entry point: given any bytes it
 * returns a message or throws {@link ProtocolException}, nothing else.
 */
public final class FrameCodec {
    public static final int MAGIC = 0x4B4C4353;
    /** 2 added TRIM and EXTENTS; a version-1 service would drop the connection on either. */
    public static final int PROTOCOL_VERSION = 2;
    public static final int PREFIX_BYTES = 8;
    /** Room for a frame's fields on top of its payload; no frame's fields come near it. */
    public static final int HEADER_ALLOWANCE = 4096;
    private static final int MIN_BODY_BYTES = 8 + 1;
    /** Longest string sent; a longer error message is cut, keeping headers within the allowance. */
    private static final int MAX_STRING_CHARS = 512;
    private static final int CHUNK_ID_BYTES = 1 + ChunkId.MAX_VOLUME_ID_LENGTH + 8;
    private static final int CHUNK_INFO_BYTES = CHUNK_ID_BYTES + 24;

    private final int maxPayloadBytes;

    /** @param maxPayloadBytes the largest payload accepted: the chunk size on a server */
    public FrameCodec(int maxPayloadBytes) {
        if (maxPayloadBytes < 0 || maxPayloadBytes > Integer.MAX_VALUE - PREFIX_BYTES - HEADER_ALLOWANCE) {
            throw new IllegalArgumentException("maxPayloadBytes out of range: " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The largest whole frame this codec accepts. */
    public int maxFrameBytes() {
        return PREFIX_BYTES + maxPayloadBytes + HEADER_ALLOWANCE;
    }

    /**
     * Validates the 8-byte prefix at {@code buf}'s position (without moving it) and returns the
     * whole frame's length, prefix included. This is all a stream reader needs to know how many
     * bytes to wait for, and it rejects an oversized frame before any of it is buffered.
     */
    public int frameLength(ByteBuffer buf) throws ProtocolException {
        if (buf.remaining() < PREFIX_BYTES) {
            throw new ProtocolException("truncated frame: " + buf.remaining() + " bytes, the prefix alone is "
                    + PREFIX_BYTES);
        }
        ByteBuffer b = buf.duplicate().order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new ProtocolException(String.format("bad magic 0x%08x (expected 0x%08x)", magic, MAGIC));
        }
        int body = b.getInt();
        if (body < 0) {
            throw new ProtocolException("negative frame length " + body);
        }
        if (body < MIN_BODY_BYTES) {
            throw new ProtocolException("frame length " + body + " is below the minimum " + MIN_BODY_BYTES);
        }
        if (body > maxPayloadBytes + HEADER_ALLOWANCE) {
            throw new ProtocolException("frame length " + body + " exceeds the maximum "
                    + (maxPayloadBytes + HEADER_ALLOWANCE));
        }
        return PREFIX_BYTES + body;
    }

    /**
     * Decodes the frame at {@code buf}'s position and moves the position past it. Payloads are
     * read-only views into {@code buf}, not copies.
     */
    public Message decode(ByteBuffer buf) throws ProtocolException {
        int total = frameLength(buf);
        if (buf.remaining() < total) {
            throw new ProtocolException("truncated frame: length says " + total + " bytes, only "
                    + buf.remaining() + " present");
        }
        ByteBuffer body = buf.slice(buf.position() + PREFIX_BYTES, total - PREFIX_BYTES).order(ByteOrder.BIG_ENDIAN);
        FieldReader r = new FieldReader(body);
        long id = r.i64("request id");
        int code = r.u8("opcode");
        Opcode op = Opcode.ofCode(code);
        if (op == null) {
            throw new ProtocolException(String.format("unknown opcode 0x%02x", code));
        }
        Message m = decodeFields(op, id, r);
        r.end(op);
        buf.position(buf.position() + total);
        return m;
    }

    private Message decodeFields(Opcode op, long id, FieldReader r) throws ProtocolException {
        return switch (op) {
            case HELLO -> new Request.Hello(id, r.i32("protocol version"));
            case CREATE -> new Request.Create(id, r.chunkId(), r.i64("version"));
            case DELETE -> new Request.Delete(id, r.chunkId());
            case STAT -> new Request.Stat(id, r.chunkId());
            case LIST -> new Request.ListChunks(id);
            case WRITE -> new Request.Write(id, r.chunkId(), r.i64("offset"), r.i64("version"), r.i64("epoch"),
                    r.bool("durable flag"), payload(r));
            case READ -> readRequest(id, r);
            case SET_VERSION -> new Request.SetVersion(id, r.chunkId(), r.i64("version"));
            case FLUSH -> new Request.Flush(id);
            case SCRUB -> new Request.Scrub(id, r.chunkId());
            case SPACE -> new Request.Space(id);
            case TRIM -> new Request.Trim(id, r.chunkId(), r.i64("offset"), r.i64("length"), r.i64("version"),
                    r.i64("epoch"));
            case EXTENTS -> new Request.Extents(id, r.chunkId());
            case HELLO_REPLY -> new Reply.HelloReply(id, r.i32("protocol version"),
                    r.nonNegativeI32("chunk size"), r.nonNegativeI32("block size"));
            case OK -> new Reply.Ok(id);
            case STAT_REPLY -> new Reply.StatReply(id,
                    r.bool("presence flag") ? Optional.of(r.chunkInfo()) : Optional.empty());
            case LIST_REPLY -> {
                int n = r.count("chunk count", FieldReader.MIN_CHUNK_INFO_BYTES);
                List<ChunkInfo> infos = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    infos.add(r.chunkInfo());
                }
                yield new Reply.ListReply(id, infos);
            }
            case READ_REPLY -> new Reply.ReadReply(id, payload(r));
            case SCRUB_REPLY -> {
                int n = r.count("bad block count", 4);
                List<Integer> blocks = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    blocks.add(r.nonNegativeI32("block index"));
                }
                yield new Reply.ScrubReply(id, blocks);
            }
            case SPACE_REPLY -> new Reply.SpaceReply(id, r.nonNegativeI64("free bytes"), r.nonNegativeI64("used bytes"));
            case EXTENTS_REPLY -> new Reply.ExtentsReply(id, extents(r));
            case FAILURE -> new Reply.Failure(id, decodeError(r));
        };
    }

    private static List<Extent> extents(FieldReader r) throws ProtocolException {
        int n = r.count("extent count", 16);
        List<Extent> extents = new ArrayList<>(n);
        long previousEnd = -1;
        for (int i = 0; i < n; i++) {
            long offset = r.nonNegativeI64("extent offset");
            long length = r.i64("extent length");
            if (length <= 0 || offset > Long.MAX_VALUE - length) {
                throw new ProtocolException("invalid extent length " + length + " at offset " + offset);
            }
            if (offset <= previousEnd) {
                throw new ProtocolException("extent at " + offset + " is not after the previous one, ending at "
                        + previousEnd);
            }
            extents.add(new Extent(offset, length));
            previousEnd = offset + length;
        }
        return extents;
    }

    private Request.Read readRequest(long id, FieldReader r) throws ProtocolException {
        ChunkId chunk = r.chunkId();
        long offset = r.i64("offset");
        int length = r.nonNegativeI32("read length");
        if (length > maxPayloadBytes) {
            throw new ProtocolException("read length " + length + " exceeds the maximum " + maxPayloadBytes);
        }
        return new Request.Read(id, chunk, offset, length);
    }

    private ByteBuffer payload(FieldReader r) throws ProtocolException {
        if (r.remaining() > maxPayloadBytes) {
            throw new ProtocolException("payload of " + r.remaining() + " bytes exceeds the maximum " + maxPayloadBytes);
        }
        return r.rest();
    }

    private static ChunkException decodeError(FieldReader r) throws ProtocolException {
        int code = r.u8("error kind");
        ErrorKind kind = ErrorKind.ofCode(code);
        if (kind == null) {
            throw new ProtocolException("unknown error kind " + code);
        }
        return switch (kind) {
            case NOT_FOUND -> new ChunkNotFoundException(r.chunkId());
            case EXISTS -> new ChunkExistsException(r.chunkId());
            case STALE_EPOCH -> new StaleEpochException(r.chunkId(), r.i64("chunk epoch"), r.i64("request epoch"));
            case VERSION_MISMATCH -> new VersionMismatchException(r.chunkId(), r.i64("chunk version"),
                    r.i64("request version"));
            case CHECKSUM_MISMATCH -> new ChecksumMismatchException(r.chunkId(), r.nonNegativeI32("block"),
                    r.i32("expected crc"), r.i32("actual crc"));
            case DISK_FULL -> new DiskFullException(r.string("disk"), r.i64("free bytes"), r.i64("needed bytes"));
            case INVALID_REQUEST -> new InvalidRequestException(r.string("message"));
            case IO -> new ChunkIOException(r.string("message"));
        };
    }

    /**
     * Encodes a message as the buffers to write, in order: the header (prefix and fields) and,
     * for WRITE and READ_REPLY, a view of the payload. The caller's payload buffer is not moved.
     */
    public ByteBuffer[] encode(Message m) {
        ByteBuffer payload = switch (m) {
            case Request.Write w -> w.data().duplicate();
            case Reply.ReadReply rr -> rr.data().duplicate();
            default -> null;
        };
        ByteBuffer h = ByteBuffer.allocate(PREFIX_BYTES + 9 + fieldsCapacity(m));
        h.putInt(MAGIC).putInt(0).putLong(m.requestId()).put((byte) Opcode.of(m).code());
        switch (m) {
            case Request.Hello x -> h.putInt(x.protocolVersion());
            case Request.Create x -> putChunkId(h, x.chunk()).putLong(x.version());
            case Request.Delete x -> putChunkId(h, x.chunk());
            case Request.Stat x -> putChunkId(h, x.chunk());
            case Request.ListChunks x -> { }
            case Request.Write x -> putChunkId(h, x.chunk()).putLong(x.offset()).putLong(x.version())
                    .putLong(x.epoch()).put((byte) (x.durable() ? 1 : 0));
            case Request.Read x -> putChunkId(h, x.chunk()).putLong(x.offset()).putInt(x.length());
            case Request.SetVersion x -> putChunkId(h, x.chunk()).putLong(x.version());
            case Request.Flush x -> { }
            case Request.Scrub x -> putChunkId(h, x.chunk());
            case Request.Space x -> { }
            case Request.Trim x -> putChunkId(h, x.chunk()).putLong(x.offset()).putLong(x.length())
                    .putLong(x.version()).putLong(x.epoch());
            case Request.Extents x -> putChunkId(h, x.chunk());
            case Reply.HelloReply x -> h.putInt(x.protocolVersion()).putInt(x.chunkSize()).putInt(x.blockSize());
            case Reply.Ok x -> { }
            case Reply.StatReply x -> {
                h.put((byte) (x.info().isPresent() ? 1 : 0));
                x.info().ifPresent(i -> putChunkInfo(h, i));
            }
            case Reply.ListReply x -> {
                h.putInt(x.chunks().size());
                x.chunks().forEach(i -> putChunkInfo(h, i));
            }
            case Reply.ReadReply x -> { }
            case Reply.ScrubReply x -> {
                h.putInt(x.badBlocks().size());
                x.badBlocks().forEach(h::putInt);
            }
            case Reply.SpaceReply x -> h.putLong(x.freeBytes()).putLong(x.usedBytes());
            case Reply.ExtentsReply x -> {
                h.putInt(x.extents().size());
                x.extents().forEach(e -> h.putLong(e.offset()).putLong(e.length()));
            }
            case Reply.Failure x -> putError(h, x.error());
        }
        int payloadBytes = payload == null ? 0 : payload.remaining();
        h.putInt(4, h.position() - PREFIX_BYTES + payloadBytes);
        h.flip();
        // Senders write until the last buffer is drained, so an empty payload (the fencing write,
        // a zero-length read) must not be the last buffer or nothing would be sent at all.
        return payloadBytes == 0 ? new ByteBuffer[] {h} : new ByteBuffer[] {h, payload};
    }

    /** An upper bound of the fields' encoded size (the payload excluded). */
    private static int fieldsCapacity(Message m) {
        return switch (m) {
            case Reply.ListReply x -> 4 + x.chunks().size() * CHUNK_INFO_BYTES;
            case Reply.ScrubReply x -> 4 + x.badBlocks().size() * 4;
            case Reply.ExtentsReply x -> 4 + x.extents().size() * 16;
            case Reply.Failure x -> 1 + CHUNK_ID_BYTES + 16 + 2 + MAX_STRING_CHARS * 3;
            default -> CHUNK_INFO_BYTES + 32;
        };
    }

    private static void putError(ByteBuffer h, ChunkException e) {
        h.put((byte) ErrorKind.of(e).code());
        switch (e) {
            case ChunkNotFoundException x -> putChunkId(h, x.chunk());
            case ChunkExistsException x -> putChunkId(h, x.chunk());
            case StaleEpochException x -> putChunkId(h, x.chunk()).putLong(x.chunkEpoch()).putLong(x.requestEpoch());
            case VersionMismatchException x -> putChunkId(h, x.chunk()).putLong(x.chunkVersion())
                    .putLong(x.requestVersion());
            case ChecksumMismatchException x -> putChunkId(h, x.chunk()).putInt(x.block()).putInt(x.expectedCrc())
                    .putInt(x.actualCrc());
            case DiskFullException x -> putString(h, x.disk()).putLong(x.freeBytes()).putLong(x.neededBytes());
            case InvalidRequestException x -> putString(h, x.getMessage());
            case ChunkIOException x -> putString(h, x.getMessage());
        }
    }

    private static ByteBuffer putChunkId(ByteBuffer h, ChunkId id) {
        h.put((byte) id.volumeId().length());
        h.put(id.volumeId().getBytes(StandardCharsets.US_ASCII));
        return h.putLong(id.index());
    }

    private static void putChunkInfo(ByteBuffer h, ChunkInfo i) {
        putChunkId(h, i.id()).putLong(i.version()).putLong(i.epoch()).putLong(i.allocatedBytes());
    }

    private static ByteBuffer putString(ByteBuffer h, String s) {
        String text = s == null ? "" : s;
        if (text.length() > MAX_STRING_CHARS) {
            int cut = MAX_STRING_CHARS;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--; // never split a surrogate pair, or the UTF-8 would be malformed
            }
            text = text.substring(0, cut);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return h.putShort((short) bytes.length).put(bytes);
    }
}
