package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Handshake-phase frames in both directions: the server greeting, client flags, option requests and
 * option replies. Decoders never allocate more than the frame they are handed already holds, and
 * length fields are checked against what is actually there before anything is read.
 */
public final class OptionCodec {
    private OptionCodec() {}

    /** The handshake flags this server offers. */
    public static final int SERVER_HANDSHAKE_FLAGS = NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES;
    private static final int KNOWN_CLIENT_FLAGS = NBD_FLAG_C_FIXED_NEWSTYLE | NBD_FLAG_C_NO_ZEROES;
    private static final int EXPORT_NAME_ZEROES = 124;

    /** The 16-byte option request header: magic already checked, length unsigned. */
    public record OptionHeader(int option, long length) {}

    /** A decoded option reply together with the option it answers. */
    public record ReplyFrame(int option, OptionReply reply) {
        public ReplyFrame {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** NBDMAGIC, IHAVEOPT and the 16-bit handshake flags. */
    public static ByteBuffer encodeGreeting() {
        return ByteBuffer.allocate(18).putLong(NBDMAGIC).putLong(IHAVEOPT)
                .putShort((short) SERVER_HANDSHAKE_FLAGS).flip();
    }

    /** Validates the client's 32-bit flags; the spec requires dropping clients that send unknown ones. */
    public static int checkClientFlags(int clientFlags) throws NbdProtocolException {
        if ((clientFlags & ~KNOWN_CLIENT_FLAGS) != 0) {
            throw new NbdProtocolException("unknown client flags 0x" + Integer.toHexString(clientFlags));
        }
        return clientFlags;
    }

    /** Reads a 16-byte option header; a bad magic or a length over {@code maxLength} ends the session. */
    public static OptionHeader decodeOptionHeader(ByteBuffer in, int maxLength) throws NbdProtocolException {
        long magic = in.getLong();
        int option = in.getInt();
        long length = Integer.toUnsignedLong(in.getInt());
        if (magic != IHAVEOPT) {
            throw new NbdProtocolException("bad option magic 0x" + Long.toHexString(magic));
        }
        if (length > maxLength) {
            throw new NbdProtocolException("option " + option + " length " + length + " over limit " + maxLength);
        }
        return new OptionHeader(option, length);
    }

    /** Decodes an option's payload (exactly the remaining bytes of {@code payload}). Never throws. */
    public static NbdOption decodeOption(int code, ByteBuffer payload) {
        ByteBuffer p = payload.slice();
        return switch (code) {
            case NBD_OPT_EXPORT_NAME -> {
                String name = decodeString(p, p.remaining());
                yield name == null ? new NbdOption.Invalid(code, "export name is not a valid string")
                        : new NbdOption.ExportName(name);
            }
            case NBD_OPT_ABORT -> new NbdOption.Abort();
            case NBD_OPT_LIST -> p.hasRemaining() ? new NbdOption.Invalid(code, "NBD_OPT_LIST takes no data")
                    : new NbdOption.ListExports();
            case NBD_OPT_STARTTLS -> p.hasRemaining()
                    ? new NbdOption.Invalid(code, "NBD_OPT_STARTTLS takes no data") : new NbdOption.StartTls();
            case NBD_OPT_STRUCTURED_REPLY -> p.hasRemaining()
                    ? new NbdOption.Invalid(code, "NBD_OPT_STRUCTURED_REPLY takes no data")
                    : new NbdOption.StructuredReply();
            case NBD_OPT_INFO, NBD_OPT_GO -> decodeExportQuery(code, p);
            default -> new NbdOption.Unsupported(code);
        };
    }

    private static NbdOption decodeExportQuery(int code, ByteBuffer p) {
        if (p.remaining() < 6) {
            return new NbdOption.Invalid(code, "option data too short");
        }
        long nameLength = Integer.toUnsignedLong(p.getInt());
        if (nameLength > p.remaining() - 2) {
            return new NbdOption.Invalid(code, "export name length exceeds option data");
        }
        String name = decodeString(p, (int) nameLength);
        if (name == null) {
            return new NbdOption.Invalid(code, "export name is not a valid string");
        }
        int count = Short.toUnsignedInt(p.getShort());
        if (p.remaining() != 2 * count) {
            return new NbdOption.Invalid(code, "information request count does not match option length");
        }
        List<Integer> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(Short.toUnsignedInt(p.getShort()));
        }
        return code == NBD_OPT_GO ? new NbdOption.Go(name, requests) : new NbdOption.Info(name, requests);
    }

    /** Encodes an option request, header included; for clients and tests. */
    public static ByteBuffer encodeOption(NbdOption option) {
        ByteBuffer payload = switch (option) {
            case NbdOption.ExportName n -> ByteBuffer.wrap(utf8(n.name()));
            case NbdOption.ExportQuery q -> {
                byte[] name = utf8(q.name());
                ByteBuffer b = ByteBuffer.allocate(4 + name.length + 2 + 2 * q.requests().size());
                b.putInt(name.length).put(name).putShort((short) q.requests().size());
                q.requests().forEach(r -> b.putShort(r.shortValue()));
                yield b.flip();
            }
            case NbdOption.Abort a -> ByteBuffer.allocate(0);
            case NbdOption.ListExports l -> ByteBuffer.allocate(0);
            case NbdOption.StartTls s -> ByteBuffer.allocate(0);
            case NbdOption.StructuredReply s -> ByteBuffer.allocate(0);
            case NbdOption.Unsupported u -> ByteBuffer.allocate(0);
            case NbdOption.Invalid i -> throw new IllegalArgumentException("cannot encode " + i);
        };
        return ByteBuffer.allocate(OPTION_HEADER_SIZE + payload.remaining())
                .putLong(IHAVEOPT).putInt(option.code()).putInt(payload.remaining()).put(payload).flip();
    }

    /** Encodes a reply to {@code option}, header included. */
    public static ByteBuffer encodeReply(int option, OptionReply reply) {
        ByteBuffer payload = switch (reply) {
            case OptionReply.Ack a -> ByteBuffer.allocate(0);
            case OptionReply.Server s -> {
                byte[] name = utf8(s.name());
                byte[] desc = utf8(s.description());
                yield ByteBuffer.allocate(4 + name.length + desc.length).putInt(name.length).put(name).put(desc).flip();
            }
            case OptionReply.InfoExport e -> ByteBuffer.allocate(12).putShort((short) e.infoType())
                    .putLong(e.size()).putShort((short) e.transmissionFlags()).flip();
            case OptionReply.InfoName n -> infoString(n.infoType(), n.name());
            case OptionReply.InfoDescription d -> infoString(d.infoType(), d.description());
            case OptionReply.InfoBlockSize b -> ByteBuffer.allocate(14).putShort((short) b.infoType())
                    .putInt(b.minimum()).putInt(b.preferred()).putInt(b.maximum()).flip();
            case OptionReply.Error e -> ByteBuffer.wrap(utf8(e.message()));
        };
        return ByteBuffer.allocate(20 + payload.remaining()).putLong(OPTION_REPLY_MAGIC).putInt(option)
                .putInt(reply.type()).putInt(payload.remaining()).put(payload).flip();
    }

    /** The reply to NBD_OPT_EXPORT_NAME: size, transmission flags, and 124 zeroes unless the client opted out. */
    public static ByteBuffer encodeExportNameReply(long size, int transmissionFlags, boolean noZeroes) {
        ByteBuffer b = ByteBuffer.allocate(10 + (noZeroes ? 0 : EXPORT_NAME_ZEROES));
        b.putLong(size).putShort((short) transmissionFlags);
        return b.position(b.capacity()).flip();
    }

    /** Decodes one whole option reply frame; for clients and tests. */
    public static ReplyFrame decodeReply(ByteBuffer frame) throws NbdProtocolException {
        try {
            long magic = frame.getLong();
            if (magic != OPTION_REPLY_MAGIC) {
                throw new NbdProtocolException("bad option reply magic 0x" + Long.toHexString(magic));
            }
            int option = frame.getInt();
            int type = frame.getInt();
            long length = Integer.toUnsignedLong(frame.getInt());
            if (length != frame.remaining()) {
                throw new NbdProtocolException("reply length " + length + " but " + frame.remaining() + " bytes");
            }
            return new ReplyFrame(option, decodeReplyPayload(type, frame.slice()));
        } catch (BufferUnderflowException e) {
            throw new NbdProtocolException("truncated option reply");
        }
    }

    private static OptionReply decodeReplyPayload(int type, ByteBuffer p) throws NbdProtocolException {
        if (type < 0) {
            return new OptionReply.Error(type, requireString(p, p.remaining()));
        }
        switch (type) {
            case NBD_REP_ACK -> {
                return new OptionReply.Ack();
            }
            case NBD_REP_SERVER -> {
                long nameLength = Integer.toUnsignedLong(p.getInt());
                if (nameLength > p.remaining()) {
                    throw new NbdProtocolException("server name length exceeds reply");
                }
                String name = requireString(p, (int) nameLength);
                return new OptionReply.Server(name, requireString(p, p.remaining()));
            }
            case NBD_REP_INFO -> {
                int info = Short.toUnsignedInt(p.getShort());
                OptionReply r = switch (info) {
                    case NBD_INFO_EXPORT -> new OptionReply.InfoExport(p.getLong(), Short.toUnsignedInt(p.getShort()));
                    case NBD_INFO_NAME -> new OptionReply.InfoName(requireString(p, p.remaining()));
                    case NBD_INFO_DESCRIPTION -> new OptionReply.InfoDescription(requireString(p, p.remaining()));
                    case NBD_INFO_BLOCK_SIZE -> new OptionReply.InfoBlockSize(p.getInt(), p.getInt(), p.getInt());
                    default -> throw new NbdProtocolException("unknown info type " + info);
                };
                if (p.hasRemaining()) {
                    throw new NbdProtocolException("trailing bytes in info reply " + info);
                }
                return r;
            }
            default -> throw new NbdProtocolException("unknown option reply type " + type);
        }
    }

    private static ByteBuffer infoString(int infoType, String s) {
        byte[] b = utf8(s);
        return ByteBuffer.allocate(2 + b.length).putShort((short) infoType).put(b).flip();
    }

    private static String requireString(ByteBuffer p, int length) throws NbdProtocolException {
        String s = decodeString(p, length);
        if (s == null) {
            throw new NbdProtocolException("invalid string in option reply");
        }
        return s;
    }

    /**
     * Consumes {@code length} bytes as a protocol string: strict UTF-8, no NUL, at most 4096 bytes.
     * Returns null if it is not one.
     */
    static String decodeString(ByteBuffer p, int length) {
        if (length > MAX_STRING_LENGTH || length > p.remaining()) {
            p.position(p.position() + Math.min(length, p.remaining()));
            return null;
        }
        ByteBuffer bytes = p.slice(p.position(), length);
        p.position(p.position() + length);
        for (int i = 0; i < length; i++) {
            if (bytes.get(i) == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
