package io.keel.block.nbd;

import java.util.List;
import java.util.Objects;

/** An option a client sends during handshake, as decoded by {@link OptionCodec}. */
public sealed interface NbdOption {

    /** The option number on the wire. */
    int code();

    /** Select an export and enter transmission; cannot be answered with an error. */
    record ExportName(String name) implements NbdOption {
        public ExportName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public int code() {
            return NbdConstants.NBD_OPT_EXPORT_NAME;
        }
    }

    record Abort() implements NbdOption {
        @Override
        public int code() {
            return NbdConstants.NBD_OPT_ABORT;
        }
    }

    record ListExports() implements NbdOption {
        @Override
        public int code() {
            return NbdConstants.NBD_OPT_LIST;
        }
    }

    record StartTls() implements NbdOption {
        @Override
        public int code() {
            return NbdConstants.NBD_OPT_STARTTLS;
        }
    }

    record StructuredReply() implements NbdOption {
        @Override
        public int code() {
            return NbdConstants.NBD_OPT_STRUCTURED_REPLY;
        }
    }

    /** NBD_OPT_INFO or NBD_OPT_GO: same payload, GO additionally enters transmission. */
    sealed interface ExportQuery extends NbdOption {
        String name();

        /** Requested NBD_INFO_* types, in the client's order. */
        List<Integer> requests();
    }

    record Info(String name, List<Integer> requests) implements ExportQuery {
        public Info {
            Objects.requireNonNull(name, "name");
            requests = List.copyOf(requests);
        }

        @Override
        public int code() {
            return NbdConstants.NBD_OPT_INFO;
        }
    }

    record Go(String name, List<Integer> requests) implements ExportQuery {
        public Go {
            Objects.requireNonNull(name, "name");
            requests = List.copyOf(requests);
        }

        @Override
        public int code() {
            return NbdConstants.NBD_OPT_GO;
        }
    }

    /** An option this server does not implement; its payload was skipped. */
    record Unsupported(int code) implements NbdOption {}

    /** A known option whose payload is malformed; answered with NBD_REP_ERR_INVALID. */
    record Invalid(int code, String reason) implements NbdOption {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
