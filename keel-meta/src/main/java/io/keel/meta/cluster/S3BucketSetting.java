package io.keel.meta.cluster;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration document of a bucket (CORS, tagging, policy or lifecycle), stored under its own
 * key so that changing one does not rewrite the bucket record, and so that the gateway's per-request
 * bucket lookup does not decode documents it does not need. The content is opaque here: the S3
 * gateway validates it and hands over its canonical form (ADR 0046).
 *
 * @param bucketId the incarnation the document belongs to; documents go with their bucket
 */
public record S3BucketSetting(String bucketId, Kind kind, String document) {

    public enum Kind {
        CORS(64 * 1024), TAGGING(64 * 1024), POLICY(20 * 1024), LIFECYCLE(64 * 1024);

        /** The largest document in UTF-8 bytes: S3's policy limit is 20 KiB, 64 KiB bounds the XML ones. */
        private final int maxBytes;

        Kind(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        public int maxBytes() {
            return maxBytes;
        }

        /** The key segment, lower case. */
        String keySegment() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public S3BucketSetting {
        Objects.requireNonNull(bucketId, "bucketId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(document, "document");
    }
}
