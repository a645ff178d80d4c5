package io.keel.s3store;

import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.backend.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Small helpers to feed and read the backend directly. */
final class Bodies {
    private Bodies() {
    }

    static ObjectBody body(byte[] b) {
        return new ObjectBody(new ByteArrayInputStream(b), b.length, Optional.empty());
    }

    static ObjectBody body(String s) {
        return body(s.getBytes(StandardCharsets.UTF_8));
    }

    static NewObject alice() {
        return new NewObject("alice", ObjectMetadata.empty(), Map.of());
    }

    static byte[] bytes(StoredObject o) throws IOException {
        try (InputStream in = o.open(0, o.info().size())) {
            return in.readAllBytes();
        }
    }

    static String text(StoredObject o) throws IOException {
        return new String(bytes(o), StandardCharsets.UTF_8);
    }

    /** A body that fails at its end, as a bad checksum or signature does. */
    static ObjectBody failing(byte[] b) {
        InputStream in = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at < b.length) {
                    return b[at++] & 0xFF;
                }
                throw new io.keel.s3.error.S3Exception(io.keel.s3.error.S3ErrorCode.BAD_DIGEST);
            }
        };
        return new ObjectBody(in, b.length, Optional.empty());
    }
}
