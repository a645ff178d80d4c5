package io.keel.meta.cluster;

/** The machine-readable codes of {@link CommandResult.Rejected}; the API maps each to an HTTP status. */
public final class RejectionCodes {
    /** The command is malformed or asks for something the rules forbid (400). */
    public static final String INVALID = "invalid";
    /** The command names a node, disk or location that does not exist (404). */
    public static final String NOT_FOUND = "not_found";
    /** The command clashes with current state: a duplicate, a stale rotation, something in use (409). */
    public static final String CONFLICT = "conflict";
    /** The join token presented is wrong, rotated or expired (403). */
    public static final String FORBIDDEN = "forbidden";
    /** No cluster exists yet: every command but InitCluster needs one. */
    public static final String NOT_INITIALISED = "not_initialised";

    private RejectionCodes() {}
}
