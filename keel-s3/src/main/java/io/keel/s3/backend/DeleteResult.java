package io.keel.s3.backend;

import java.util.Objects;
import java.util.Optional;

/** What a DELETE did. Deleting a key that does not exist is a success in S3. */
public sealed interface DeleteResult {
    /** A version (or the only copy) was removed; {@code versionId} names it if the bucket is versioned. */
    record Removed(Optional<String> versionId, boolean wasDeleteMarker) implements DeleteResult {
        public Removed {
            Objects.requireNonNull(versionId, "versionId");
        }
    }

    /** A delete marker was added on top of the key's versions. */
    record MarkerCreated(String versionId) implements DeleteResult {
        public MarkerCreated {
            Objects.requireNonNull(versionId, "versionId");
        }
    }

    /** Nothing was there. */
    record Absent() implements DeleteResult {
    }
}
