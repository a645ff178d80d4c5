package io.keel.s3store.index;

import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.backend.StoredChecksum;
import io.keel.s3.payload.ChecksumAlgorithm;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link ObjectMetadata} as stored in index records: absent headers are nulls, not Optionals. */
public record StoredMeta(String contentType, String contentEncoding, String contentDisposition,
        String contentLanguage, String cacheControl, String expires, Map<String, String> user) {
    public StoredMeta {
        Objects.requireNonNull(contentType, "contentType");
        user = Map.copyOf(user == null ? Map.of() : user);
    }

    public static StoredMeta of(ObjectMetadata m) {
        return new StoredMeta(m.contentType(), m.contentEncoding().orElse(null), m.contentDisposition().orElse(null),
                m.contentLanguage().orElse(null), m.cacheControl().orElse(null), m.expires().orElse(null), m.user());
    }

    public ObjectMetadata toMetadata() {
        return new ObjectMetadata(contentType, Optional.ofNullable(contentEncoding),
                Optional.ofNullable(contentDisposition), Optional.ofNullable(contentLanguage),
                Optional.ofNullable(cacheControl), Optional.ofNullable(expires), user);
    }

    static String algorithm(Optional<StoredChecksum> c) {
        return c.map(x -> x.algorithm().name()).orElse(null);
    }

    static String value(Optional<StoredChecksum> c) {
        return c.map(StoredChecksum::base64).orElse(null);
    }

    static Optional<StoredChecksum> checksum(String algorithm, String value) {
        if (algorithm == null || value == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredChecksum(ChecksumAlgorithm.valueOf(algorithm), value));
    }
}
