package io.keel.s3store;

import io.keel.meta.shard.ShardEntry;
import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.ListEntry;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.MultipartRules;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.data.DataLocation;
import io.keel.s3store.index.Batch;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.Counter;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.PartRecord;
import io.keel.s3store.index.Read;
import io.keel.s3store.index.StoredMeta;
import io.keel.s3store.index.UploadRecord;
import io.keel.s3store.index.Utf8Order;
import io.keel.s3store.index.VersionRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Multipart uploads. Every part batch requires the upload record unchanged, so no part commits
 * once the upload is completed or aborted; parts that committed between our scan and our
 * completion are swept and released right after it. Completing copies no bytes: the object's
 * location is the concatenation of its parts' locations.
 */
final class MultipartUploads {
    private static final int PART_PAGE = 1000;

    private final Store store;

    MultipartUploads(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    MultipartUpload create(String bucket, String key, NewObject object) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        return Attempts.retry(attempt -> {
            Instant now = store.now();
            // The id starts with the time, so a key's uploads sort by initiation as S3 lists them.
            String uploadId = HexFormat.of().toHexDigits(Store.micros(now)) + store.unique();
            UploadRecord u = new UploadRecord(key, uploadId, now.toEpochMilli(), object.owner(),
                    StoredMeta.of(object.metadata()), object.tags());
            String at = IndexKeys.upload(idx.id(), key, uploadId);
            Batch b = idx.batch();
            idx.guardAdditions(b, now, attempt > 0);
            b.absent(at).put(at, u).add(idx.id(), Counter.UPLOADS, 1);
            return idx.commit(b) ? Optional.of(toUpload(idx, u)) : Optional.empty();
        });
    }

    MultipartUpload upload(String bucket, String key, String uploadId) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        return toUpload(idx, read(idx, key, uploadId).value());
    }

    private static Read<UploadRecord> read(BucketIndex idx, String key, String uploadId) throws S3Exception {
        return idx.upload(key, uploadId).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD));
    }

    private static MultipartUpload toUpload(BucketIndex idx, UploadRecord u) {
        return new MultipartUpload(idx.name(), u.key(), u.uploadId(), Instant.ofEpochMilli(u.initiated()),
                new NewObject(u.owner(), u.metadata().toMetadata(), u.tags()));
    }

    PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, ObjectBody body)
            throws IOException {
        BucketIndex idx = store.index(bucket);
        read(idx, key, uploadId); // refuse before storing bytes for an upload that is gone
        DataLocation location = store.data().write(body, body.declaredLength());
        PartRecord part = PartRecord.of(partNumber, body.count(), body.etag(), store.now(), body.checksum(), location);
        String at = IndexKeys.part(idx.id(), uploadId, partNumber);
        boolean committed = false;
        AtomicBoolean inDoubt = new AtomicBoolean();
        try {
            Attempts.retry(attempt -> {
                Read<UploadRecord> u = read(idx, key, uploadId);
                Optional<Read<PartRecord>> old = idx.part(uploadId, partNumber);
                Batch b = idx.batch().unchanged(u);
                old.ifPresentOrElse(b::unchanged, () -> b.absent(at));
                b.put(at, part);
                inDoubt.set(true);
                boolean applied = idx.commit(b);
                inDoubt.set(false);
                if (!applied) {
                    return Optional.empty();
                }
                old.ifPresent(o -> store.release(List.of(o.value().location())));
                return Optional.of(part);
            });
            committed = true;
            return part.toInfo();
        } finally {
            if (!committed && !inDoubt.get()) {
                store.release(List.of(location));
            }
        }
    }

    ListPage<PartInfo> listParts(String bucket, String key, String uploadId, int afterPart, int maxParts)
            throws S3Exception {
        BucketIndex idx = store.index(bucket);
        read(idx, key, uploadId);
        if (afterPart >= PartInfo.MAX_PART_NUMBER || maxParts <= 0) {
            return new ListPage<>(List.of(), false);
        }
        List<ShardEntry> found = idx.scan(IndexKeys.part(idx.id(), uploadId, Math.max(afterPart, 0) + 1),
                IndexKeys.end(IndexKeys.partsOf(idx.id(), uploadId)), maxParts + 1);
        List<ListEntry<PartInfo>> rows = new ArrayList<>();
        for (ShardEntry e : found.subList(0, Math.min(found.size(), maxParts))) {
            PartInfo p = idx.decode(e, PartRecord.class).value().toInfo();
            rows.add(new ListEntry.Item<>(Integer.toString(p.partNumber()), p));
        }
        return new ListPage<>(rows, found.size() > maxParts);
    }

    ObjectInfo complete(String bucket, String key, String uploadId, List<CompletedPart> requested)
            throws S3Exception {
        BucketIndex idx = store.index(bucket);
        VersionRecord done = Attempts.retry(attempt -> {
            Read<UploadRecord> u = read(idx, key, uploadId);
            List<Read<PartRecord>> stored = parts(idx, uploadId);
            Map<Integer, PartInfo> infos = new HashMap<>();
            Map<Integer, Read<PartRecord>> byNumber = new HashMap<>();
            for (Read<PartRecord> p : stored) {
                infos.put(p.value().partNumber(), p.value().toInfo());
                byNumber.put(p.value().partNumber(), p);
            }
            // The rules run on the parts this very batch requires unchanged (MultipartRules' contract).
            MultipartRules.Assembly a = MultipartRules.assemble(requested, infos, MultipartRules.MIN_PART_SIZE);
            List<DataLocation> chosen = new ArrayList<>();
            for (PartInfo p : a.parts()) {
                chosen.add(byNumber.remove(p.partNumber()).value().location());
            }
            DataLocation location = DataLocation.concat(chosen);
            Instant now = store.now();
            Batch b = idx.batch().unchanged(u).delete(u.shardKey()).add(idx.id(), Counter.UPLOADS, -1);
            for (Read<PartRecord> p : stored) {
                b.unchanged(p).delete(p.shardKey());
            }
            UploadRecord up = u.value();
            VersionChanges.Change change = VersionChanges.addNewest(idx, b, key, store.head(idx, key, true),
                    idx.bucket().versioning(), Store.micros(now), store.unique(),
                    (vid, stamp) -> VersionRecord.object(vid, stamp, a.size(), a.etag(), now, up.owner(),
                            up.metadata(), up.tags(), Optional.empty(), a.parts().size(), location));
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.headCommitted(idx, key, change.head());
            store.release(change.released());
            // Parts uploaded but not named in the completion are garbage now.
            store.release(byNumber.values().stream().map(p -> p.value().location()).toList());
            return Optional.of(change.record());
        });
        sweep(idx, uploadId);
        return done.toInfo(idx.name(), key);
    }

    void abort(String bucket, String key, String uploadId) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        Attempts.retry(attempt -> {
            Read<UploadRecord> u = read(idx, key, uploadId);
            List<Read<PartRecord>> stored = parts(idx, uploadId);
            Batch b = idx.batch().unchanged(u).delete(u.shardKey()).add(idx.id(), Counter.UPLOADS, -1);
            for (Read<PartRecord> p : stored) {
                b.unchanged(p).delete(p.shardKey());
            }
            if (!idx.commit(b)) {
                return Optional.empty();
            }
            store.release(stored.stream().map(p -> p.value().location()).toList());
            return Optional.of(Boolean.TRUE);
        });
        sweep(idx, uploadId);
    }

    /** All part records of an upload, read in bounded pages (at most 10,000 parts exist). */
    private static List<Read<PartRecord>> parts(BucketIndex idx, String uploadId) throws S3Exception {
        String prefix = IndexKeys.partsOf(idx.id(), uploadId);
        String end = IndexKeys.end(prefix);
        List<Read<PartRecord>> all = new ArrayList<>();
        String from = prefix;
        while (true) {
            List<ShardEntry> page = idx.scan(from, end, PART_PAGE);
            for (ShardEntry e : page) {
                all.add(idx.decode(e, PartRecord.class));
            }
            if (page.size() < PART_PAGE) {
                return all;
            }
            from = IndexKeys.after(page.getLast().key());
        }
    }

    /**
     * A part that committed after our scan but before the upload record went is named by no
     * object; with the upload gone no further part can commit, so one sweep after completion or
     * abort frees them all.
     */
    private void sweep(BucketIndex idx, String uploadId) throws S3Exception {
        for (Read<PartRecord> p : parts(idx, uploadId)) {
            if (idx.commit(idx.batch().unchanged(p).delete(p.shardKey()))) {
                store.release(List.of(p.value().location()));
            }
        }
    }

    ListPage<MultipartUpload> list(String bucket, UploadQuery q) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        String base = IndexKeys.uploadPrefix(idx.id());
        String end = IndexKeys.end(base);
        String cursor = base + q.prefix();
        if (q.keyMarker().isPresent()) {
            String km = q.keyMarker().get();
            String start = q.uploadIdMarker().isPresent()
                    ? IndexKeys.after(IndexKeys.upload(idx.id(), km, q.uploadIdMarker().get()))
                    : IndexKeys.afterUploadsOf(idx.id(), km);
            if (Utf8Order.compare(start, cursor) > 0) {
                cursor = start;
            }
        }
        int max = Math.max(q.maxUploads(), 0);
        List<ListEntry<MultipartUpload>> rows = new ArrayList<>();
        scanning:
        while (rows.size() <= max) {
            List<ShardEntry> page = idx.scan(cursor, end, ObjectReads.PAGE);
            for (ShardEntry e : page) {
                UploadRecord u = idx.decode(e, UploadRecord.class).value();
                if (!u.key().startsWith(q.prefix())) {
                    break scanning;
                }
                rows.add(new ListEntry.Item<>(u.key(), toUpload(idx, u)));
                if (rows.size() > max) {
                    break scanning;
                }
                cursor = IndexKeys.after(e.key());
            }
            if (page.size() < ObjectReads.PAGE) {
                break;
            }
        }
        boolean truncated = rows.size() > max;
        return new ListPage<>(truncated ? rows.subList(0, max) : rows, truncated);
    }
}
