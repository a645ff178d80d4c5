package io.keel.block.nbd;

import static io.keel.block.nbd.NbdConstants.*;

import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import io.keel.block.ExportInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed-newstyle option haggling for one connection: greeting, client flags, then options until the
 * client picks an export (NBD_OPT_GO or NBD_OPT_EXPORT_NAME), aborts, or breaks the protocol.
 *
 * <p>GO and EXPORT_NAME open the device with write access unless the server is read-only. LIST and
 * INFO never open anything for writing: INFO asks {@link BlockExports#info} for what GO would
 * present (size, flags, block size) without taking a write lease, so that an export whose lease is
 * held elsewhere can still be listed and described (nbdinfo --list asks INFO of every export and
 * fails as a whole if one refuses); GO then refuses it with the reason. Failures map to option
 * errors: EPERM to NBD_REP_ERR_POLICY, EINVAL to NBD_REP_ERR_INVALID, anything else to
 * NBD_REP_ERR_UNKNOWN, each with the device's reason as text.
 */
final class Handshake {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);

    /** The outcome of a successful handshake; the caller owns {@code device}. */
    record Negotiated(String exportName, BlockDevice device, int transmissionFlags) {}

    /** A device, or the option error explaining why there is none. */
    private record Opened(BlockDevice device, OptionReply.Error error) {}

    /** An export's description, or the option error explaining why there is none. */
    private record Described(ExportInfo info, OptionReply.Error error) {}

    private final InputBuffer in;
    private final WritableByteChannel out;
    private final BlockExports exports;
    private final NbdServerOptions options;
    private final String who;

    Handshake(InputBuffer in, WritableByteChannel out, BlockExports exports, NbdServerOptions options, String who) {
        this.in = in;
        this.out = out;
        this.exports = exports;
        this.options = options;
        this.who = who;
    }

    /** Returns the chosen export, or null if the client aborted or went away during haggling. */
    Negotiated run() throws IOException {
        writeFully(OptionCodec.encodeGreeting());
        if (!in.fill(4, true)) {
            return null;
        }
        // Clients that omit NBD_FLAG_C_FIXED_NEWSTYLE still get fixed-newstyle replies, which the spec allows.
        int clientFlags = OptionCodec.checkClientFlags(in.buffer().getInt());
        boolean noZeroes = (clientFlags & NBD_FLAG_C_NO_ZEROES) != 0;
        for (int count = 0; count < options.maxOptions(); count++) {
            if (!in.fill(OPTION_HEADER_SIZE, true)) {
                return null;
            }
            OptionCodec.OptionHeader header = OptionCodec.decodeOptionHeader(in.buffer(), options.maxOptionLength());
            ByteBuffer payload = ByteBuffer.allocate((int) header.length());
            in.readFully(payload);
            NbdOption option = OptionCodec.decodeOption(header.option(), payload.flip());
            log.debug("nbd {}: option {}", who, option);
            Negotiated done = handle(option, noZeroes);
            if (done != null || option instanceof NbdOption.Abort) {
                return done;
            }
        }
        throw new NbdProtocolException("more than " + options.maxOptions() + " options without choosing an export");
    }

    private Negotiated handle(NbdOption option, boolean noZeroes) throws IOException {
        int code = option.code();
        switch (option) {
            case NbdOption.ExportName n -> {
                return exportName(n.name(), noZeroes);
            }
            case NbdOption.Abort a -> {
                try {
                    reply(code, new OptionReply.Ack());
                } catch (IOException e) {
                    // The client may already have closed; the spec allows it not to wait.
                }
                return null;
            }
            case NbdOption.ListExports l -> {
                List<String> names;
                try {
                    names = exports.list();
                } catch (RuntimeException e) {
                    log.warn("nbd {}: listing exports failed: {}", who, e.toString());
                    reply(code, new OptionReply.Error(NBD_REP_ERR_POLICY, "exports cannot be listed right now"));
                    return null;
                }
                for (String name : names) {
                    reply(code, new OptionReply.Server(name, describe(name)));
                }
                reply(code, new OptionReply.Ack());
                return null;
            }
            case NbdOption.ExportQuery q -> {
                return query(q);
            }
            case NbdOption.StructuredReply s -> {
                reply(code, new OptionReply.Error(NBD_REP_ERR_UNSUP, "structured replies are not supported"));
                return null;
            }
            case NbdOption.StartTls s -> {
                reply(code, new OptionReply.Error(NBD_REP_ERR_UNSUP, "TLS is not supported"));
                return null;
            }
            case NbdOption.Unsupported u -> {
                reply(code, new OptionReply.Error(NBD_REP_ERR_UNSUP, "option " + code + " is not supported"));
                return null;
            }
            case NbdOption.Invalid v -> {
                if (code == NBD_OPT_EXPORT_NAME) {
                    throw new NbdProtocolException("NBD_OPT_EXPORT_NAME: " + v.reason());
                }
                reply(code, new OptionReply.Error(NBD_REP_ERR_INVALID, v.reason()));
                return null;
            }
        }
    }

    /** NBD_OPT_EXPORT_NAME cannot carry an error, so any failure ends the session. */
    private Negotiated exportName(String name, boolean noZeroes) throws IOException {
        Opened opened = open(name);
        if (opened.device() == null) {
            throw new NbdProtocolException("NBD_OPT_EXPORT_NAME '" + name + "' refused: " + opened.error().message());
        }
        BlockDevice device = opened.device();
        int flags = transmissionFlags(ExportInfo.of(device));
        try {
            writeFully(OptionCodec.encodeExportNameReply(device.size(), flags, noZeroes));
        } catch (IOException | RuntimeException e) {
            closeQuietly(device);
            throw e;
        }
        return new Negotiated(name, device, flags);
    }

    private Negotiated query(NbdOption.ExportQuery q) throws IOException {
        int code = q.code();
        if (q instanceof NbdOption.Info) {
            Described described = describeExport(q.name());
            if (described.info() == null) {
                reply(code, described.error());
            } else {
                sendInfo(q, described.info());
            }
            return null;
        }
        Opened opened = open(q.name());
        if (opened.device() == null) {
            reply(code, opened.error());
            return null;
        }
        BlockDevice device = opened.device();
        try {
            int flags = sendInfo(q, ExportInfo.of(device));
            return new Negotiated(q.name(), device, flags);
        } catch (IOException | RuntimeException e) {
            closeQuietly(device);
            throw e;
        }
    }

    /** The NBD_REP_INFO replies a query gets, then its ACK; returns the transmission flags sent. */
    private int sendInfo(NbdOption.ExportQuery q, ExportInfo info) throws IOException {
        int code = q.code();
        int flags = transmissionFlags(info);
        reply(code, new OptionReply.InfoExport(info.size(), flags));
        if (q.requests().contains(NBD_INFO_NAME)) {
            reply(code, new OptionReply.InfoName(q.name()));
        }
        if (q.requests().contains(NBD_INFO_DESCRIPTION)) {
            String description = describe(q.name());
            if (!description.isEmpty()) {
                reply(code, new OptionReply.InfoDescription(description));
            }
        }
        // Sent unasked: the spec allows it and it tells every client our maximum request size.
        reply(code, new OptionReply.InfoBlockSize(1, preferredBlockSize(info.blockSize()), options.maxRequestLength()));
        reply(code, new OptionReply.Ack());
        return flags;
    }

    private Opened open(String name) {
        try {
            Optional<BlockDevice> device = exports.open(name, !options.readOnly());
            return device.map(d -> new Opened(d, null)).orElseGet(() -> new Opened(null, unknown(name)));
        } catch (BlockIoException | RuntimeException e) {
            return new Opened(null, refusal(name, e));
        }
    }

    private Described describeExport(String name) {
        try {
            Optional<ExportInfo> info = exports.info(name, !options.readOnly());
            return info.map(i -> new Described(i, null)).orElseGet(() -> new Described(null, unknown(name)));
        } catch (BlockIoException | RuntimeException e) {
            return new Described(null, refusal(name, e));
        }
    }

    private static OptionReply.Error unknown(String name) {
        return new OptionReply.Error(NBD_REP_ERR_UNKNOWN, "no export named '" + name + "'");
    }

    private OptionReply.Error refusal(String name, Exception failure) {
        if (failure instanceof BlockIoException e) {
            int type = switch (e.kind()) {
                case EPERM -> NBD_REP_ERR_POLICY;
                case EINVAL -> NBD_REP_ERR_INVALID;
                case EIO, ENOSPC -> NBD_REP_ERR_UNKNOWN;
            };
            log.info("nbd {}: export '{}' refused: {} {}", who, name, e.kind(), e.getMessage());
            return new OptionReply.Error(type, truncate(e.getMessage()));
        }
        log.warn("nbd {}: opening export '{}' failed", who, name, failure);
        return new OptionReply.Error(NBD_REP_ERR_UNKNOWN, "export '" + name + "' is unavailable");
    }

    /** Which features to expose; see {@link io.keel.block.BlockDevice#multiConnSafe()} for multi-conn. */
    static int transmissionFlags(ExportInfo export) {
        int flags = NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_FUA;
        if (export.readOnly()) {
            flags |= NBD_FLAG_READ_ONLY;
        } else {
            flags |= NBD_FLAG_SEND_TRIM | NBD_FLAG_SEND_WRITE_ZEROES;
        }
        // Read-only data cannot go stale between connections, so multi-conn is always safe then.
        if (export.readOnly() || export.multiConnSafe()) {
            flags |= NBD_FLAG_CAN_MULTI_CONN;
        }
        return flags;
    }

    private int preferredBlockSize(int b) {
        boolean valid = b >= 512 && Integer.bitCount(b) == 1 && b <= options.maxRequestLength();
        return valid ? b : 4096;
    }

    private String describe(String name) {
        try {
            return exports.description(name).map(Handshake::truncate).orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Protocol strings must stay within 4096 bytes; a long reason is cut, not rejected. */
    private static String truncate(String s) {
        String text = s == null ? "" : s.replace('\0', ' ');
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_LENGTH) {
            text = text.substring(0, text.length() - Math.max(1, text.length() / 8));
        }
        return text;
    }

    private void reply(int option, OptionReply reply) throws IOException {
        writeFully(OptionCodec.encodeReply(option, reply));
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private void closeQuietly(BlockDevice device) {
        try {
            device.close();
        } catch (BlockIoException | RuntimeException e) {
            log.debug("nbd {}: closing device failed: {}", who, e.getMessage());
        }
    }
}
