package io.keel.testkit.guest;

/** The guest did not do what was asked; the message ends with the tail of its console. */
public final class GuestException extends RuntimeException {
    public GuestException(String message) {
        super(message);
    }

    public GuestException(String message, Throwable cause) {
        super(message, cause);
    }
}
