package io.keel.block.nbd;

/**
 * A transmission-phase request header as decoded by {@link RequestCodec}. Lengths and offsets are
 * unsigned on the wire: {@code length} is widened to a non-negative long, and an {@code offset} that
 * does not fit a signed long is negative here, which every range check rejects.
 */
public sealed interface NbdCommand {
    int flags();

    long cookie();

    long offset();

    long length();

    /** The command type on the wire (NBD_CMD_*). */
    int type();

    default boolean fua() {
        return (flags() & NbdConstants.NBD_CMD_FLAG_FUA) != 0;
    }

    record Read(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_READ;
        }
    }

    /** Followed on the wire by {@code length} bytes of payload. */
    record Write(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_WRITE;
        }
    }

    record Disconnect(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_DISC;
        }
    }

    record Flush(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_FLUSH;
        }
    }

    record Trim(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_TRIM;
        }
    }

    record WriteZeroes(int flags, long cookie, long offset, long length) implements NbdCommand {
        @Override
        public int type() {
            return NbdConstants.NBD_CMD_WRITE_ZEROES;
        }

        public boolean noHole() {
            return (flags & NbdConstants.NBD_CMD_FLAG_NO_HOLE) != 0;
        }
    }

    /** A command type this server does not implement; answered with EINVAL. */
    record Unknown(int type, int flags, long cookie, long offset, long length) implements NbdCommand {}
}
