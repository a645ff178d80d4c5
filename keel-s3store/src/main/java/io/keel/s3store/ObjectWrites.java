package io.keel.s3store;

import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.data.DataLocation;
import io.keel.s3store.index.Batch;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import io.keel.s3store.index.StoredMeta;
import io.keel.s3store.index.VersionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * PUT, copy, DELETE and tagging. Order of a write: the bytes first ({@link
 * io.keel.s3store.data.ObjectData#write} returns when they are durable and the body has passed
 * every check), then one conditional batch makes the version visible; what the batch replaced is
 * released only after it committed, and what we wrote is released if it never commits.
 */
final class ObjectWrites {
    private final Store store;

    ObjectWrites(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    ObjectInfo put(String bucket, String key, NewObject object, ObjectBody body) throws IOException {
        BucketIndex idx = store.index(bucket);
        DataLocation location = store.data().write(body, body.declaredLength());
        if (!body.ended()) {
            store.release(List.of(location));
            throw new IllegalStateException("object data returned before the body's end");
        }
        return commitObject(idx, key, object, location, body.count(), body.etag(), body.checksum(), 0);
    }

    ObjectInfo copy(StoredObject source, String bucket, String key, NewObject object) throws IOException {
        BucketIndex idx = store.index(bucket);
        ObjectInfo s = source.info();
        // Bytes are copied, not shared: a location is released with the one record naming it, and
        // ObjectData keeps no reference counts.
        DataLocation location;
        try (InputStream in = source.open(0, s.size())) {
            location = store.data().write(in, s.size());
        }
        if (location.length() != s.size()) {
            store.release(List.of(location));
            throw new IOException("copy source gave " + location.length() + " bytes, expected " + s.size());
        }
        return commitObject(idx, key, object, location, s.size(), s.etag(), s.checksum(), s.partCount());
    }

    private ObjectInfo commitObject(BucketIndex idx, String key, NewObject object, DataLocation location, long size,
            String etag, Optional<io.keel.s3.backend.StoredChecksum> checksum, int partCount) throws S3Exception {
        boolean committed = false;
        AtomicBoolean inDoubt = new AtomicBoolean();
        try {
            VersionRecord record = Attempts.retry(attempt -> {
                Instant now = store.now();
                Batch b = idx.batch();
                idx.guardAdditions(b, now, attempt > 0);
                // The first try goes without reading the head; the batch's condition on it checks the guess.
                Optional<Read<KeyHead>> head = store.head(idx, key, attempt > 0);
                VersionChanges.Change change = VersionChanges.addNewest(idx, b, key, head,
                        idx.bucket().versioning(), Store.micros(now), store.unique(),
                        (vid, stamp) -> VersionRecord.object(vid, stamp, size, etag, now, object.owner(),
                                StoredMeta.of(object.metadata()), object.tags(), checksum, partCount, location));
                inDoubt.set(true);
                boolean applied = idx.commit(b);
                inDoubt.set(false);
                if (!applied) {
                    return Optional.empty();
                }
                store.headCommitted(idx, key, change.head());
                store.release(change.released());
                return Optional.of(change.record());
            });
            committed = true;
            return record.toInfo(idx.name(), key);
        } finally {
            // A commit that failed without an answer may have applied: leaking the bytes is
            // recoverable (ADR 0040's intents), freeing bytes a record names is not.
            if (!committed && !inDoubt.get()) {
                store.release(List.of(location));
            }
        }
    }

    DeleteResult delete(String bucket, String key, Optional<String> versionId) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        if (versionId.isPresent()) {
            return removeVersion(idx, key, versionId.get());
        }
        return switch (idx.bucket().versioning()) {
            case UNVERSIONED -> removeCurrent(idx, key);
            case ENABLED, SUSPENDED -> addMarker(idx, key);
        };
    }

    private DeleteResult removeCurrent(BucketIndex idx, String key) throws S3Exception {
        return Attempts.retry(attempt -> {
            Optional<Read<KeyHead>> head = idx.head(key);
            if (head.isEmpty()) {
                return Optional.of(new DeleteResult.Absent());
            }
            Optional<Read<VersionRecord>> target = idx.version(key, head.get().value().current().stamp());
            if (target.isEmpty()) {
                return Optional.empty(); // the head moved on between our two reads
            }
            Batch b = idx.batch();
            VersionChanges.Change change = VersionChanges.remove(idx, b, key, head.get(), target.get());
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.headCommitted(idx, key, change.head());
            store.release(change.released());
            return Optional.of(new DeleteResult.Removed(Optional.empty(), false));
        });
    }

    private DeleteResult addMarker(BucketIndex idx, String key) throws S3Exception {
        return Attempts.retry(attempt -> {
            Instant now = store.now();
            Batch b = idx.batch();
            idx.guardAdditions(b, now, attempt > 0);
            Optional<Read<KeyHead>> head = idx.head(key);
            VersionChanges.Change change = VersionChanges.addNewest(idx, b, key, head, idx.bucket().versioning(),
                    Store.micros(now), store.unique(),
                    (vid, stamp) -> VersionRecord.marker(vid, stamp, now, idx.bucket().ownerId()));
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.headCommitted(idx, key, change.head());
            store.release(change.released());
            return Optional.of(new DeleteResult.MarkerCreated(change.record().versionId()));
        });
    }

    private DeleteResult removeVersion(BucketIndex idx, String key, String versionId) throws S3Exception {
        DeleteResult nothing = new DeleteResult.Removed(Optional.of(versionId), false);
        return Attempts.retry(attempt -> {
            Optional<Read<KeyHead>> head = idx.head(key);
            if (head.isEmpty()) {
                return Optional.of(nothing);
            }
            Optional<Read<VersionRecord>> target = resolve(idx, key, head.get().value(), versionId);
            if (target.isEmpty()) {
                return Optional.of(nothing);
            }
            Batch b = idx.batch();
            VersionChanges.Change change = VersionChanges.remove(idx, b, key, head.get(), target.get());
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.headCommitted(idx, key, change.head());
            store.release(change.released());
            return Optional.of(new DeleteResult.Removed(Optional.of(versionId), change.record().deleteMarker()));
        });
    }

    ObjectInfo putTags(String bucket, String key, Optional<String> versionId, Map<String, String> tags)
            throws S3Exception {
        BucketIndex idx = store.index(bucket);
        return Attempts.retry(attempt -> {
            Read<KeyHead> head = idx.head(key).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_KEY));
            Read<VersionRecord> target = ObjectReads.target(idx, key, head.value(), versionId);
            VersionRecord tagged = target.value().withTags(tags);
            Batch b = idx.batch().unchanged(head).unchanged(target).put(target.shardKey(), tagged);
            KeyHead after = head.value();
            if (tagged.stamp() == head.value().current().stamp()) {
                after = new KeyHead(tagged, head.value().nullStamp());
                b.put(head.shardKey(), after);
            }
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.headCommitted(idx, key, Optional.of(after));
            return Optional.of(tagged.toInfo(idx.name(), key));
        });
    }

    /** The version record {@code versionId} names ("null" is the null version), if it exists. */
    static Optional<Read<VersionRecord>> resolve(BucketIndex idx, String key, KeyHead head, String versionId)
            throws S3Exception {
        Optional<Long> stamp = versionId.equals("null") ? Optional.ofNullable(head.nullStamp())
                : IndexKeys.stampOf(versionId);
        if (stamp.isEmpty()) {
            return Optional.empty();
        }
        return idx.version(key, stamp.get()).filter(r -> r.value().matches(versionId));
    }
}
