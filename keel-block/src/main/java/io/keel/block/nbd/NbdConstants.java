package io.keel.block.nbd;

/**
 * Numbers from the NBD protocol specification ("fixed newstyle" negotiation, simple replies).
 * Names follow the specification so they can be grepped against it.
 */
public final class NbdConstants {
    private NbdConstants() {}

    // Handshake magics.
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    public static final long IHAVEOPT = 0x49484156454f5054L;
    public static final long OPTION_REPLY_MAGIC = 0x0003e889045565a9L;

    // Handshake flags (server, 16 bits) and client flags (32 bits).
    public static final int NBD_FLAG_FIXED_NEWSTYLE = 1;
    public static final int NBD_FLAG_NO_ZEROES = 1 << 1;
    public static final int NBD_FLAG_C_FIXED_NEWSTYLE = 1;
    public static final int NBD_FLAG_C_NO_ZEROES = 1 << 1;

    // Options.
    public static final int NBD_OPT_EXPORT_NAME = 1;
    public static final int NBD_OPT_ABORT = 2;
    public static final int NBD_OPT_LIST = 3;
    public static final int NBD_OPT_STARTTLS = 5;
    public static final int NBD_OPT_INFO = 6;
    public static final int NBD_OPT_GO = 7;
    public static final int NBD_OPT_STRUCTURED_REPLY = 8;

    // Option reply types; errors have bit 31 set.
    public static final int NBD_REP_ACK = 1;
    public static final int NBD_REP_SERVER = 2;
    public static final int NBD_REP_INFO = 3;
    public static final int NBD_REP_ERR_UNSUP = 0x80000001;
    public static final int NBD_REP_ERR_POLICY = 0x80000002;
    public static final int NBD_REP_ERR_INVALID = 0x80000003;
    public static final int NBD_REP_ERR_PLATFORM = 0x80000004;
    public static final int NBD_REP_ERR_TLS_REQD = 0x80000005;
    public static final int NBD_REP_ERR_UNKNOWN = 0x80000006;
    public static final int NBD_REP_ERR_SHUTDOWN = 0x80000007;
    public static final int NBD_REP_ERR_BLOCK_SIZE_REQD = 0x80000008;
    public static final int NBD_REP_ERR_TOO_BIG = 0x80000009;

    // NBD_REP_INFO payload types.
    public static final int NBD_INFO_EXPORT = 0;
    public static final int NBD_INFO_NAME = 1;
    public static final int NBD_INFO_DESCRIPTION = 2;
    public static final int NBD_INFO_BLOCK_SIZE = 3;

    // Transmission flags (16 bits).
    public static final int NBD_FLAG_HAS_FLAGS = 1;
    public static final int NBD_FLAG_READ_ONLY = 1 << 1;
    public static final int NBD_FLAG_SEND_FLUSH = 1 << 2;
    public static final int NBD_FLAG_SEND_FUA = 1 << 3;
    public static final int NBD_FLAG_ROTATIONAL = 1 << 4;
    public static final int NBD_FLAG_SEND_TRIM = 1 << 5;
    public static final int NBD_FLAG_SEND_WRITE_ZEROES = 1 << 6;
    public static final int NBD_FLAG_SEND_DF = 1 << 7;
    public static final int NBD_FLAG_CAN_MULTI_CONN = 1 << 8;

    // Transmission frames.
    public static final int NBD_REQUEST_MAGIC = 0x25609513;
    public static final int NBD_SIMPLE_REPLY_MAGIC = 0x67446698;

    // Commands.
    public static final int NBD_CMD_READ = 0;
    public static final int NBD_CMD_WRITE = 1;
    public static final int NBD_CMD_DISC = 2;
    public static final int NBD_CMD_FLUSH = 3;
    public static final int NBD_CMD_TRIM = 4;
    public static final int NBD_CMD_WRITE_ZEROES = 6;

    // Command flags (16 bits).
    public static final int NBD_CMD_FLAG_FUA = 1;
    public static final int NBD_CMD_FLAG_NO_HOLE = 1 << 1;

    // Error values carried in simple replies.
    public static final int NBD_EPERM = 1;
    public static final int NBD_EIO = 5;
    public static final int NBD_ENOMEM = 12;
    public static final int NBD_EINVAL = 22;
    public static final int NBD_ENOSPC = 28;
    public static final int NBD_EOVERFLOW = 75;
    public static final int NBD_ESHUTDOWN = 108;

    // Frame sizes.
    public static final int OPTION_HEADER_SIZE = 16;
    public static final int REQUEST_HEADER_SIZE = 28;
    public static final int SIMPLE_REPLY_HEADER_SIZE = 16;
    /** Strings (export names, messages) MUST be no longer than this. */
    public static final int MAX_STRING_LENGTH = 4096;
}
