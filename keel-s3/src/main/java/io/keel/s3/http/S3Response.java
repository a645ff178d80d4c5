package io.keel.s3.http;

import io.keel.s3.backend.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a handler answers: status, headers in order, and one of the body kinds. */
public record S3Response(int status, List<Header> headers, Body body) {
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public sealed interface Body {
    }

    /** No body at all (HEAD, 204, 304). {@code contentLength} is what HEAD announces, else -1. */
    public record Empty(long contentLength) implements Body {
    }

    public record Xml(byte[] bytes) implements Body {
        public Xml {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** A JSON document (GetBucketPolicy answers with the policy itself). */
    public record Json(byte[] bytes) implements Body {
        public Json {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** Object bytes streamed from the backend; the handle is closed after writing. */
    public record Stream(StoredObject object, long offset, long length) implements Body {
        public Stream {
            Objects.requireNonNull(object, "object");
        }
    }

    public S3Response {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    public static Builder status(int status) {
        return new Builder(status);
    }

    public static S3Response xml(byte[] xml) {
        return status(200).xml(xml);
    }

    /** Collects headers; headers with an empty optional value are simply not added by callers. */
    public static final class Builder {
        private final int status;
        private final List<Header> headers = new ArrayList<>();

        private Builder(int status) {
            this.status = status;
        }

        public Builder header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        public S3Response empty() {
            return new S3Response(status, headers, new Empty(-1));
        }

        public S3Response empty(long contentLength) {
            return new S3Response(status, headers, new Empty(contentLength));
        }

        public S3Response xml(byte[] xml) {
            return new S3Response(status, headers, new Xml(xml));
        }

        public S3Response json(byte[] json) {
            return new S3Response(status, headers, new Json(json));
        }

        public S3Response stream(StoredObject object, long offset, long length) {
            return new S3Response(status, headers, new Stream(object, offset, length));
        }
    }
}
