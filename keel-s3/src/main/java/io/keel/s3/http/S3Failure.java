package io.keel.s3.http;

import io.keel.s3.error.S3Exception;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * An S3 error that must carry response headers besides the error document, such as
 * {@code Content-Range: bytes *}{@code /size} on a 416. Kept apart from {@link S3Exception}, which
 * body streams raise and which has no business knowing about response headers.
 */
public final class S3Failure extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient S3Exception error;
    private final transient List<S3Response.Header> headers;

    public S3Failure(S3Exception error, List<S3Response.Header> headers) {
        super(Objects.requireNonNull(error, "error").getMessage(), error);
        this.error = error;
        this.headers = List.copyOf(headers);
    }

    public S3Exception error() {
        return error;
    }

    public List<S3Response.Header> headers() {
        return headers;
    }
}
