package io.keel.api.auth;

import java.util.Objects;

/** A session token was refused; the message is safe to show to the client (it never quotes the token). */
public final class InvalidTokenException extends Exception {
    public enum Reason {
        MALFORMED("malformed session token"),
        BAD_SIGNATURE("session token has a bad signature"),
        EXPIRED("session token has expired");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason) {
        super(Objects.requireNonNull(reason, "reason").message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
