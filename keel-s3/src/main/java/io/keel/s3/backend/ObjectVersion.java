package io.keel.s3.backend;

import java.time.Instant;
import java.util.Objects;

/** One row of ListObjectVersions: a stored version or a delete marker. */
public sealed interface ObjectVersion {
    String key();

    String versionId();

    boolean latest();

    record Version(ObjectInfo info, boolean latest) implements ObjectVersion {
        public Version {
            Objects.requireNonNull(info, "info");
        }

        @Override
        public String key() {
            return info.key();
        }

        @Override
        public String versionId() {
            return info.versionId().orElse("null");
        }
    }

    record DeleteMarker(String key, String versionId, boolean latest, Instant lastModified, String owner)
            implements ObjectVersion {
        public DeleteMarker {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
            Objects.requireNonNull(lastModified, "lastModified");
            Objects.requireNonNull(owner, "owner");
        }
    }
}
