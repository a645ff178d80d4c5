package io.keel.s3store;

import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.cluster.S3Command;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Bucket records in memory with the metadata's rules for deletion: same incarnation, same layout, unexpired seal. */
final class FakeCatalog implements BucketCatalog {
    private final Map<String, S3Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final String shard;
    private final AtomicLong ids = new AtomicLong();

    FakeCatalog(Clock clock, String shard) {
        this.clock = clock;
        this.shard = shard;
    }

    @Override
    public Optional<S3Bucket> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    @Override
    public List<S3Bucket> bucketsOf(String ownerId) {
        return buckets.values().stream().filter(b -> b.ownerId().equals(ownerId))
                .sorted(Comparator.comparing(S3Bucket::name)).toList();
    }

    @Override
    public synchronized S3Bucket create(String name, String ownerId) throws S3Exception {
        S3Bucket existing = buckets.get(name);
        if (existing != null) {
            throw new S3Exception(existing.ownerId().equals(ownerId) ? S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU
                    : S3ErrorCode.BUCKET_ALREADY_EXISTS);
        }
        S3Bucket b = new S3Bucket("b" + ids.incrementAndGet(), name, ownerId, clock.instant(),
                S3Bucket.Versioning.UNVERSIONED, shard, 1);
        buckets.put(name, b);
        return b;
    }

    @Override
    public synchronized boolean delete(String name, S3Command.EmptySeal seal) throws S3Exception {
        S3Bucket b = buckets.get(name);
        if (b == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        Instant at = clock.instant();
        if (!b.id().equals(seal.bucketId()) || b.indexLayout() != seal.indexLayout()
                || !at.isBefore(seal.sealedUntil())) {
            return false;
        }
        buckets.remove(name);
        return true;
    }

    @Override
    public synchronized void setVersioning(String name, S3Bucket.Versioning versioning) throws S3Exception {
        S3Bucket b = buckets.get(name);
        if (b == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        buckets.put(name, b.withVersioning(versioning));
    }
}
