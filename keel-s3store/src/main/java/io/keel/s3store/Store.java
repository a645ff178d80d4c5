package io.keel.s3store;

import io.keel.meta.cluster.S3Bucket;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.data.DataLocation;
import io.keel.s3store.data.ObjectData;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.IndexCodec;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** What the parts of the backend share: where buckets, index records and bytes are, and time and ids. */
record Store(BucketCatalog catalog, IndexShards shards, ObjectData data, Clock clock, Supplier<String> ids,
        IndexCodec codec, HeadCache heads) {
    Store {
        Objects.requireNonNull(heads, "heads");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(codec, "codec");
    }

    BucketIndex index(String bucket) throws S3Exception {
        S3Bucket b = catalog.bucket(Objects.requireNonNull(bucket, "bucket"))
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET));
        return index(b);
    }

    BucketIndex index(S3Bucket b) {
        return new BucketIndex(b, shards.shard(b.indexShard()), codec);
    }

    /** A fresh id reduced to letters and digits: it ends up in version and upload ids, which travel in URLs. */
    String unique() {
        String raw = ids.get();
        StringBuilder b = new StringBuilder(raw.length());
        raw.chars().filter(c -> c < 128 && Character.isLetterOrDigit(c)).forEach(c -> b.append((char) c));
        if (b.isEmpty()) {
            throw new IllegalStateException("the id source gave an id without letters or digits: " + raw);
        }
        return b.toString();
    }

    /** Frees what no committed record names any more; empty locations hold nothing to free. */
    void release(java.util.List<DataLocation> locations) {
        for (DataLocation l : locations) {
            if (!l.segments().isEmpty()) {
                data.release(l);
            }
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** Microseconds since the epoch: version stamps, fine enough that one writer rarely needs a bump. */
    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /**
     * The key's head for a conditional batch: read from the shard when {@code read}, else this
     * gateway's guess (see {@link HeadCache}); what is read is remembered.
     */
    Optional<Read<KeyHead>> head(BucketIndex idx, String key, boolean read) throws S3Exception {
        String shardKey = IndexKeys.head(idx.id(), key);
        if (!read) {
            return heads.guess(shardKey);
        }
        Optional<Read<KeyHead>> head = idx.head(key);
        heads.seen(shardKey, head);
        return head;
    }

    /** After a batch committed: the head it left is the freshest one this gateway knows. */
    void headCommitted(BucketIndex idx, String key, Optional<KeyHead> head) {
        String shardKey = IndexKeys.head(idx.id(), key);
        heads.seen(shardKey, head.map(h -> new Read<>(shardKey, h, idx.codec().encode(h))));
    }
}
