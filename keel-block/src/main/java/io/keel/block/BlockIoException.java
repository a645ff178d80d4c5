package io.keel.block;

import java.io.IOException;
import java.util.Objects;

/**
 * A failed block operation. The {@link Kind} is deliberately coarse and errno-like: protocol layers
 * (NBD today, iSCSI later) map it to their own error codes, so a device only has to say what kind of
 * failure happened, never how a particular protocol spells it.
 */
public final class BlockIoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The closed set of failure kinds a device may report. */
    public enum Kind {
        /** The medium failed, or anything not covered by the other kinds. */
        EIO,
        /** No space left, or a write beyond the end of the device. */
        ENOSPC,
        /** Not permitted: a write to a read-only device, or access refused by policy (e.g. a lease). */
        EPERM,
        /** The request itself was invalid: bad range, bad argument. */
        EINVAL
    }

    private final Kind kind;

    public BlockIoException(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public BlockIoException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
