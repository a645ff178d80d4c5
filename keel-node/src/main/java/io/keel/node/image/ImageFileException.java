package io.keel.node.image;

import java.util.Objects;

/**
 * An image file that cannot be taken, or could not be stored, with the reason the administrator
 * reads. {@code kind} says whose fault it is, which decides the HTTP status of the upload.
 */
public final class ImageFileException extends Exception {
    /** INVALID: the file (400). NO_SPACE: the node cannot hold it (507). FAILED: Keel or the system (500/503). */
    public enum Kind { INVALID, NO_SPACE, FAILED }

    private final Kind kind;

    public ImageFileException(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ImageFileException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    static ImageFileException invalid(String message) {
        return new ImageFileException(Kind.INVALID, message);
    }

    static ImageFileException failed(String message) {
        return new ImageFileException(Kind.FAILED, message);
    }
}
