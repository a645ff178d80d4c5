package io.keel.s3.backend;

import io.keel.s3.payload.ChecksumAlgorithm;
import java.util.Objects;

/**
 * The additional checksum recorded with an object, base64 as on the wire. Multipart objects carry
 * a composite value ({@code base64-N}) which is not a checksum of the object's bytes.
 */
public record StoredChecksum(ChecksumAlgorithm algorithm, String base64) {
    public StoredChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(base64, "base64");
    }

    public boolean composite() {
        return base64.contains("-");
    }
}
