package io.keel.api;

/** Who may call a route. */
public enum Access {
    /** Anyone; the route authenticates by its own means if at all (login, join token). */
    PUBLIC,
    /** Another node: {@code Authorization: Node <nodeId>:<secret>}. */
    NODE,
    /** An operator: {@code Authorization: Bearer <session token>} from {@code POST /api/v1/login}. */
    SESSION,
    /**
     * An operator opening a console WebSocket: the session token as for {@link #SESSION}, or a
     * single-use ticket from {@code POST /api/v1/vms/{vm}/console} in the query ({@code ?ticket=}),
     * because browsers cannot set headers on a WebSocket.
     */
    CONSOLE
}
