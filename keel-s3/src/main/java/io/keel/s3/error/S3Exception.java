package io.keel.s3.error;

import java.io.IOException;
import java.util.Objects;

/**
 * A request that must be answered with an S3 error. It is an {@link IOException} so that the
 * body-decoding streams can raise it from {@code read()}: a bad chunk signature discovered in the
 * middle of an upload is still the client's error, not ours.
 */
public final class S3Exception extends IOException {
    private static final long serialVersionUID = 1L;

    private final S3ErrorCode code;

    public S3Exception(S3ErrorCode code, String message) {
        super(message == null ? Objects.requireNonNull(code, "code").defaultMessage() : message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public S3Exception(S3ErrorCode code) {
        this(code, null);
    }

    public S3ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return code.httpStatus();
    }
}
