package io.keel.block.nbd;

import java.util.Objects;

/** A server reply during option haggling; each option gets zero or more of these and one final reply. */
public sealed interface OptionReply {

    /** The reply type on the wire (NBD_REP_*). */
    int type();

    record Ack() implements OptionReply {
        @Override
        public int type() {
            return NbdConstants.NBD_REP_ACK;
        }
    }

    /** One export in an NBD_OPT_LIST answer; the description may be empty. */
    record Server(String name, String description) implements OptionReply {
        public Server {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public int type() {
            return NbdConstants.NBD_REP_SERVER;
        }
    }

    /** The NBD_REP_INFO replies. */
    sealed interface InfoReply extends OptionReply {
        @Override
        default int type() {
            return NbdConstants.NBD_REP_INFO;
        }

        /** The NBD_INFO_* type carried in the payload. */
        int infoType();
    }

    record InfoExport(long size, int transmissionFlags) implements InfoReply {
        @Override
        public int infoType() {
            return NbdConstants.NBD_INFO_EXPORT;
        }
    }

    record InfoName(String name) implements InfoReply {
        public InfoName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public int infoType() {
            return NbdConstants.NBD_INFO_NAME;
        }
    }

    record InfoDescription(String description) implements InfoReply {
        public InfoDescription {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public int infoType() {
            return NbdConstants.NBD_INFO_DESCRIPTION;
        }
    }

    record InfoBlockSize(int minimum, int preferred, int maximum) implements InfoReply {
        @Override
        public int infoType() {
            return NbdConstants.NBD_INFO_BLOCK_SIZE;
        }
    }

    /** An error reply; {@code type} has bit 31 set and the message is shown to the user. */
    record Error(int type, String message) implements OptionReply {
        public Error {
            Objects.requireNonNull(message, "message");
            if (type >= 0) {
                throw new IllegalArgumentException("error reply type without bit 31: " + type);
            }
        }
    }
}
