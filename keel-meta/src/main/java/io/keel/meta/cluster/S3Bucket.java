package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The control record of a bucket (ADR 0039): who owns it and where its object index lives.
 * Object counts and bytes are not here: they change with every PUT, which must not cost a
 * metadata write, so they live with the index (ADR 0040).
 *
 * @param id          generated per creation, so a bucket deleted and created again under the same
 *                    name is a different bucket to index shards and to seals of the old one
 * @param indexShard  the index shard holding the bucket's first (initially only) key range
 * @param indexLayout version of the bucket's key-range layout across shards; 1 at creation, moved
 *                    on by every split or move, so a seal taken under an older layout is stale
 */
public record S3Bucket(String id, String name, String ownerId, Instant createdAt, Versioning versioning,
        String indexShard, long indexLayout) {

    /**
     * S3 versioning states. A bucket never returns to UNVERSIONED once versioning was enabled or
     * suspended: version ids already handed out must stay meaningful.
     */
    public enum Versioning { UNVERSIONED, ENABLED, SUSPENDED }

    public S3Bucket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(versioning, "versioning");
        Objects.requireNonNull(indexShard, "indexShard");
        if (indexLayout < 1) {
            throw new IllegalArgumentException("index layout versions start at 1, not " + indexLayout);
        }
    }

    public S3Bucket withVersioning(Versioning next) {
        return new S3Bucket(id, name, ownerId, createdAt, next, indexShard, indexLayout);
    }
}
