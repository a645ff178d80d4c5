package io.keel.meta.cluster;

import java.util.Objects;

/**
 * Thrown while a command is being validated; {@link ClusterLogic} turns it into a
 * {@link CommandResult.Rejected}. An exception rather than a return value because rules sit
 * several calls deep, and because throwing before the first write is what guarantees that a
 * rejected command wrote nothing. No stack trace: it is an answer, not a failure.
 */
final class Rejection extends RuntimeException {
    private final String code;

    private Rejection(String code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    static Rejection invalid(String message) {
        return new Rejection(RejectionCodes.INVALID, message);
    }

    static Rejection notFound(String message) {
        return new Rejection(RejectionCodes.NOT_FOUND, message);
    }

    static Rejection conflict(String message) {
        return new Rejection(RejectionCodes.CONFLICT, message);
    }

    static Rejection forbidden(String message) {
        return new Rejection(RejectionCodes.FORBIDDEN, message);
    }

    static Rejection notInitialised(String message) {
        return new Rejection(RejectionCodes.NOT_INITIALISED, message);
    }

    CommandResult.Rejected result() {
        return new CommandResult.Rejected(code, getMessage());
    }
}
