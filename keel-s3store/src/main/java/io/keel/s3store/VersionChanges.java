package io.keel.s3store;

import io.keel.meta.cluster.S3Bucket;
import io.keel.meta.shard.ShardEntry;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.data.DataLocation;
import io.keel.s3store.index.Batch;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.Counter;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import io.keel.s3store.index.VersionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The two ways a key's versions change, each written into one batch: a new current version
 * (PUT, copy, completed upload, delete marker) and the removal of one version. Both condition
 * the batch on the key's head as read, so two changes of one key never both commit on the same
 * state, and both adjust the bucket counters in the same batch.
 */
final class VersionChanges {
    private VersionChanges() {
    }

    /** Builds the version record once the version id and stamp are decided. */
    @FunctionalInterface
    interface Maker {
        VersionRecord make(String versionId, long stamp);
    }

    /**
     * What a change will write; {@code released} are freed only after the batch committed;
     * {@code head} is the key's head after it (empty: the key has no versions left).
     */
    record Change(VersionRecord record, List<DataLocation> released, Optional<KeyHead> head) {
        Change {
            released = List.copyOf(released);
            Objects.requireNonNull(head, "head");
        }
    }

    /**
     * Adds a new newest version of {@code key}. The stamp is above the current one even if this
     * gateway's clock is behind, so "newest" is the commit order. In a never-versioned bucket,
     * and for a suspended bucket's null version, the version it replaces is removed in the same
     * batch.
     */
    static Change addNewest(BucketIndex idx, Batch b, String key, Optional<Read<KeyHead>> head,
            S3Bucket.Versioning versioning, long now, String unique, Maker maker) throws S3Exception {
        Objects.requireNonNull(maker, "maker");
        String headKey = IndexKeys.head(idx.id(), key);
        long stamp = Math.max(now, head.map(h -> h.value().current().stamp() + 1).orElse(0L));
        String versionId = switch (versioning) {
            case UNVERSIONED -> "";
            case ENABLED -> IndexKeys.versionId(stamp, unique);
            case SUSPENDED -> "null";
        };
        VersionRecord record = maker.make(versionId, stamp);
        head.ifPresentOrElse(b::unchanged, () -> b.absent(headKey));
        List<DataLocation> released = new ArrayList<>();
        long versions = 1;
        long stored = record.storedBytes();
        Long nullStamp = head.map(h -> h.value().nullStamp()).orElse(null);
        if (record.isNullVersion() && nullStamp != null) {
            Optional<VersionRecord> old;
            if (nullStamp == head.get().value().current().stamp()) {
                // The current version (always so in a never-versioned bucket): the head is a copy
                // of it and changes with it, so the head's condition covers it without a read.
                old = Optional.of(head.get().value().current());
            } else {
                Optional<Read<VersionRecord>> read = idx.version(key, nullStamp);
                read.ifPresent(b::unchanged);
                old = read.map(Read::value);
            }
            if (old.isPresent()) {
                b.delete(IndexKeys.version(idx.id(), key, nullStamp));
                versions--;
                stored -= old.get().storedBytes();
                released.add(old.get().location());
            }
        }
        if (record.isNullVersion()) {
            nullStamp = stamp;
        }
        b.put(IndexKeys.version(idx.id(), key, stamp), record);
        KeyHead newHead = new KeyHead(record, nullStamp);
        b.put(headKey, newHead);
        countCurrent(b, idx.id(), head.map(h -> h.value().current()), Optional.of(record));
        b.add(idx.id(), Counter.VERSIONS, versions).add(idx.id(), Counter.STORED_BYTES, stored);
        return new Change(record, released, Optional.of(newHead));
    }

    /**
     * Removes exactly {@code target}. When it was the current version the next older one becomes
     * current (the batch also requires that one unchanged, or a concurrent removal of it could be
     * resurrected into the head); with none left the head goes too.
     */
    static Change remove(BucketIndex idx, Batch b, String key, Read<KeyHead> head, Read<VersionRecord> target)
            throws S3Exception {
        VersionRecord gone = target.value();
        b.unchanged(head).unchanged(target).delete(target.shardKey());
        String headKey = IndexKeys.head(idx.id(), key);
        Long nullStamp = gone.isNullVersion() ? null : head.value().nullStamp();
        Optional<KeyHead> after = Optional.of(head.value());
        if (gone.stamp() == head.value().current().stamp()) {
            List<ShardEntry> next = idx.scan(IndexKeys.after(target.shardKey()),
                    IndexKeys.end(IndexKeys.versionsOf(idx.id(), key)), 1);
            if (next.isEmpty()) {
                after = Optional.empty();
                b.delete(headKey);
                countCurrent(b, idx.id(), Optional.of(gone), Optional.empty());
            } else {
                Read<VersionRecord> promoted = idx.decode(next.getFirst(), VersionRecord.class);
                after = Optional.of(new KeyHead(promoted.value(), nullStamp));
                b.unchanged(promoted).put(headKey, after.get());
                countCurrent(b, idx.id(), Optional.of(gone), Optional.of(promoted.value()));
            }
        } else if (!Objects.equals(nullStamp, head.value().nullStamp())) {
            after = Optional.of(new KeyHead(head.value().current(), nullStamp));
            b.put(headKey, after.get());
        }
        b.add(idx.id(), Counter.VERSIONS, -1).add(idx.id(), Counter.STORED_BYTES, -gone.storedBytes());
        return new Change(gone, List.of(gone.location()), after);
    }

    /** The OBJECTS/BYTES counters follow the current version: a live object counts, a marker does not. */
    private static void countCurrent(Batch b, String bucketId, Optional<VersionRecord> before,
            Optional<VersionRecord> after) {
        long objects = live(after) - live(before);
        long bytes = liveBytes(after) - liveBytes(before);
        b.add(bucketId, Counter.OBJECTS, objects).add(bucketId, Counter.BYTES, bytes);
    }

    private static long live(Optional<VersionRecord> v) {
        return v.isPresent() && !v.get().deleteMarker() ? 1 : 0;
    }

    private static long liveBytes(Optional<VersionRecord> v) {
        return v.isPresent() && !v.get().deleteMarker() ? v.get().size() : 0;
    }
}
