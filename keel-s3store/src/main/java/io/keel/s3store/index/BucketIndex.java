package io.keel.s3store.index;

import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.shard.IndexShard;
import io.keel.meta.shard.ShardEntry;
import io.keel.meta.shard.ShardUnavailableException;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One bucket's records on its index shard: typed reads that keep the raw bytes for
 * compare-and-set, bounded scans, commits, counters and the emptiness seal. The bucket has one
 * key range on {@link S3Bucket#indexShard()}; splits (ADR 0040 §4) are not built, so every
 * operation is single-shard.
 */
public final class BucketIndex {
    /** Clock difference tolerated between gateways before a seal counts as expired (as leases do). */
    public static final Duration SEAL_MARGIN = Duration.ofSeconds(2);
    /** The seal value of a deleted bucket: no write to this bucket id ever commits again. */
    static final long TOMBSTONE = Long.MAX_VALUE;

    private final S3Bucket bucket;
    private final IndexShard shard;
    private final IndexCodec codec;

    public BucketIndex(S3Bucket bucket, IndexShard shard, IndexCodec codec) {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.shard = Objects.requireNonNull(shard, "shard");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public S3Bucket bucket() {
        return bucket;
    }

    public String id() {
        return bucket.id();
    }

    public String name() {
        return bucket.name();
    }

    public IndexCodec codec() {
        return codec;
    }

    public Batch batch() {
        return new Batch(codec);
    }

    public Optional<Read<KeyHead>> head(String key) throws S3Exception {
        return read(IndexKeys.head(id(), key), KeyHead.class);
    }

    public Optional<Read<VersionRecord>> version(String key, long stamp) throws S3Exception {
        return read(IndexKeys.version(id(), key, stamp), VersionRecord.class);
    }

    public Optional<Read<UploadRecord>> upload(String key, String uploadId) throws S3Exception {
        return read(IndexKeys.upload(id(), key, uploadId), UploadRecord.class);
    }

    public Optional<Read<PartRecord>> part(String uploadId, int partNumber) throws S3Exception {
        return read(IndexKeys.part(id(), uploadId, partNumber), PartRecord.class);
    }

    public <T> Read<T> decode(ShardEntry e, Class<T> type) {
        return new Read<>(e.key(), codec.decode(e.value(), type), e.value());
    }

    private <T> Optional<Read<T>> read(String key, Class<T> type) throws S3Exception {
        Optional<byte[]> raw = get(key);
        return raw.map(bytes -> new Read<>(key, codec.decode(bytes, type), bytes));
    }

    public Optional<byte[]> get(String key) throws S3Exception {
        try {
            return shard.get(key);
        } catch (ShardUnavailableException e) {
            throw unavailable(e);
        }
    }

    public List<ShardEntry> scan(String from, String toExclusive, int limit) throws S3Exception {
        try {
            return shard.scan(from, toExclusive, limit);
        } catch (ShardUnavailableException e) {
            throw unavailable(e);
        }
    }

    /** True when applied; false when a condition failed and the caller must re-read. */
    public boolean commit(Batch batch) throws S3Exception {
        try {
            return shard.commit(batch.build());
        } catch (ShardUnavailableException e) {
            throw unavailable(e);
        }
    }

    public long counter(Counter counter) throws S3Exception {
        return get(IndexKeys.counter(id(), counter)).map(IndexCodec::decodeLong).orElse(0L);
    }

    /**
     * Makes a batch that adds to the bucket hold only while the bucket is not sealed (ADR 0039):
     * no seal, or an expired one, which the batch removes. A live seal means a DeleteBucket is
     * deciding right now; a tombstone means the bucket id is gone.
     *
     * @param readSeal false to assume there is no seal without reading it: almost always true,
     *                 and a wrong guess only fails the condition, after which the caller retries
     *                 reading it; this saves a shard read on every PUT
     */
    public void guardAdditions(Batch batch, Instant now, boolean readSeal) throws S3Exception {
        String key = IndexKeys.seal(id());
        if (!readSeal) {
            batch.absent(key);
            return;
        }
        Optional<byte[]> seal = get(key);
        if (seal.isEmpty()) {
            batch.absent(key);
            return;
        }
        long until = IndexCodec.decodeLong(seal.get());
        if (until == TOMBSTONE) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        if (!now.isAfter(Instant.ofEpochMilli(until).plus(SEAL_MARGIN))) {
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE,
                    "The bucket is being deleted; retry if the deletion fails");
        }
        batch.equalsRaw(key, seal.get()).delete(key);
    }

    /**
     * Seals the bucket empty until {@code until}: one batch conditioned on the version and upload
     * counters being absent (zero) and on the seal we saw. A PUT that commits first makes a
     * counter non-zero and the seal fails; a PUT after it fails its own seal condition.
     *
     * @return false when the bucket holds versions or uploads
     */
    public boolean seal(Instant until) throws S3Exception {
        String key = IndexKeys.seal(id());
        for (int attempt = 0; attempt < 8; attempt++) {
            Batch b = batch()
                    .absent(IndexKeys.counter(id(), Counter.VERSIONS))
                    .absent(IndexKeys.counter(id(), Counter.UPLOADS));
            Optional<byte[]> old = get(key);
            if (old.isPresent() && IndexCodec.decodeLong(old.get()) == TOMBSTONE) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
            }
            old.ifPresentOrElse(raw -> b.equalsRaw(key, raw), () -> b.absent(key));
            b.putRaw(key, IndexCodec.encodeLong(until.toEpochMilli()));
            if (commit(b)) {
                return true;
            }
            if (counter(Counter.VERSIONS) != 0 || counter(Counter.UPLOADS) != 0) {
                return false;
            }
        }
        throw new S3Exception(S3ErrorCode.SLOW_DOWN, "The bucket changed while it was being sealed");
    }

    /** After the metadata deleted the bucket: no write to this id may ever commit, even after the seal's expiry. */
    public void tombstone() throws S3Exception {
        Batch b = batch().putRaw(IndexKeys.seal(id()), IndexCodec.encodeLong(TOMBSTONE));
        commit(b);
    }

    static S3Exception unavailable(ShardUnavailableException e) {
        S3Exception s = new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The object index is unavailable; retry");
        s.initCause(e);
        return s;
    }
}
