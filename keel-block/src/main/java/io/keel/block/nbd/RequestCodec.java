package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;

import io.keel.block.BlockIoException;
import java.nio.ByteBuffer;

/** Transmission-phase frames: the 28-byte request header and the 16-byte simple reply header. */
public final class RequestCodec {
    private RequestCodec() {}

    /** A decoded simple reply header; payload, if any, follows on the wire. */
    public record SimpleReply(int error, long cookie) {}

    /** Decodes a request header from the next 28 bytes of {@code in}; a bad magic ends the session. */
    public static NbdCommand decodeRequest(ByteBuffer in) throws NbdProtocolException {
        int magic = in.getInt();
        int flags = Short.toUnsignedInt(in.getShort());
        int type = Short.toUnsignedInt(in.getShort());
        long cookie = in.getLong();
        long offset = in.getLong();
        long length = Integer.toUnsignedLong(in.getInt());
        if (magic != NBD_REQUEST_MAGIC) {
            throw new NbdProtocolException("bad request magic 0x" + Integer.toHexString(magic));
        }
        return switch (type) {
            case NBD_CMD_READ -> new NbdCommand.Read(flags, cookie, offset, length);
            case NBD_CMD_WRITE -> new NbdCommand.Write(flags, cookie, offset, length);
            case NBD_CMD_DISC -> new NbdCommand.Disconnect(flags, cookie, offset, length);
            case NBD_CMD_FLUSH -> new NbdCommand.Flush(flags, cookie, offset, length);
            case NBD_CMD_TRIM -> new NbdCommand.Trim(flags, cookie, offset, length);
            case NBD_CMD_WRITE_ZEROES -> new NbdCommand.WriteZeroes(flags, cookie, offset, length);
            default -> new NbdCommand.Unknown(type, flags, cookie, offset, length);
        };
    }

    /** Encodes a request header (without payload); for clients and tests. */
    public static ByteBuffer encodeRequest(NbdCommand c, ByteBuffer out) {
        return out.putInt(NBD_REQUEST_MAGIC).putShort((short) c.flags()).putShort((short) c.type())
                .putLong(c.cookie()).putLong(c.offset()).putInt((int) c.length());
    }

    public static ByteBuffer encodeSimpleReply(int error, long cookie, ByteBuffer out) {
        return out.putInt(NBD_SIMPLE_REPLY_MAGIC).putInt(error).putLong(cookie);
    }

    public static SimpleReply decodeSimpleReply(ByteBuffer in) throws NbdProtocolException {
        int magic = in.getInt();
        int error = in.getInt();
        long cookie = in.getLong();
        if (magic != NBD_SIMPLE_REPLY_MAGIC) {
            throw new NbdProtocolException("bad reply magic 0x" + Integer.toHexString(magic));
        }
        return new SimpleReply(error, cookie);
    }

    /** The NBD error value for a device failure. */
    public static int errno(BlockIoException.Kind kind) {
        return switch (kind) {
            case EIO -> NBD_EIO;
            case ENOSPC -> NBD_ENOSPC;
            case EPERM -> NBD_EPERM;
            case EINVAL -> NBD_EINVAL;
        };
    }
}
