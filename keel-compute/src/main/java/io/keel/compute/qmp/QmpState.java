package io.keel.compute.qmp;

import java.util.Objects;

/**
 * Where a {@link QmpSession} is. QMP has a fixed order: QEMU greets, the client negotiates
 * capabilities, then commands flow until the connection ends.
 */
public sealed interface QmpState {

    /** Connected; QEMU has not greeted yet. Nothing may be sent. */
    record AwaitingGreeting() implements QmpState {}

    /**
     * Greeted. Only {@code qmp_capabilities} may be sent; QEMU refuses everything else, and sends no
     * events, until it has succeeded.
     */
    record Negotiating(QmpMessage.Greeting greeting, boolean requested) implements QmpState {
        public Negotiating {
            Objects.requireNonNull(greeting, "greeting");
        }
    }

    /** Capabilities negotiated: any command, and events arrive. */
    record Commands(QmpMessage.Greeting greeting) implements QmpState {
        public Commands {
            Objects.requireNonNull(greeting, "greeting");
        }
    }

    /** The connection is over; {@code cause} says why (a clean close by this side, EOF, a protocol error). */
    record Closed(QmpException cause) implements QmpState {
        public Closed {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
