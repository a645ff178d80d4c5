package io.keel.storage.volume;

import java.util.Objects;

/** An I/O request failed; {@link #kind()} maps onto the errno a block protocol reports. */
public final class VolumeIoException extends VolumeException {
    public enum Kind { EIO, ENOSPC, EROFS, EINVAL }

    private final Kind kind;

    public VolumeIoException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public VolumeIoException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
