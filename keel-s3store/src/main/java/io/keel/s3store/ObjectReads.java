package io.keel.s3store;

import io.keel.meta.shard.ShardEntry;
import io.keel.s3.backend.KeyLister;
import io.keel.s3.backend.ListEntry;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3store.data.DataLocation;
import io.keel.s3store.data.ObjectData;
import io.keel.s3store.index.BucketIndex;
import io.keel.s3store.index.IndexKeys;
import io.keel.s3store.index.KeyHead;
import io.keel.s3store.index.Read;
import io.keel.s3store.index.Utf8Order;
import io.keel.s3store.index.VersionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** GET and the listings. Lists read the shard in bounded pages and never load a whole bucket. */
final class ObjectReads {
    /** Records fetched per shard scan. */
    static final int PAGE = 256;

    private final Store store;

    ObjectReads(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** A handle on one version: its location is fixed, so an overwrite meanwhile does not change the bytes. */
    record Handle(ObjectInfo info, DataLocation location, ObjectData data) implements StoredObject {
        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (length == 0) {
                return InputStream.nullInputStream();
            }
            return data.open(location, offset, length);
        }
    }

    StoredObject get(String bucket, String key, Optional<String> versionId) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        Read<KeyHead> head = store.head(idx, key, true).orElseThrow(() -> notFound(idx, versionId));
        VersionRecord v;
        if (versionId.isEmpty()) {
            // The head holds a copy of the current version: one read serves a plain GET.
            v = head.value().current();
            if (v.deleteMarker()) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
            }
        } else {
            v = target(idx, key, head.value(), versionId).value();
        }
        return new Handle(v.toInfo(idx.name(), key), v.location(), store.data());
    }

    /**
     * The version a GET or tagging request means: the current one (NoSuchKey if it is a delete
     * marker) or the named one (a named delete marker is MethodNotAllowed).
     */
    static Read<VersionRecord> target(BucketIndex idx, String key, KeyHead head, Optional<String> versionId)
            throws S3Exception {
        if (versionId.isEmpty()) {
            if (head.current().deleteMarker()) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
            }
            return idx.version(key, head.current().stamp()).orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_KEY));
        }
        Read<VersionRecord> v = ObjectWrites.resolve(idx, key, head, versionId.get())
                .orElseThrow(() -> notFound(idx, versionId));
        if (v.value().deleteMarker()) {
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        return v;
    }

    private static S3Exception notFound(BucketIndex idx, Optional<String> versionId) {
        boolean versioned = idx.bucket().versioning() != io.keel.meta.cluster.S3Bucket.Versioning.UNVERSIONED;
        return new S3Exception(versionId.isPresent() && versioned ? S3ErrorCode.NO_SUCH_VERSION
                : S3ErrorCode.NO_SUCH_KEY);
    }

    ListPage<ObjectInfo> listObjects(String bucket, ListQuery query) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        HeadSource source = new HeadSource(idx);
        try {
            return KeyLister.page(source, query);
        } catch (UncheckedS3 e) {
            throw e.getCause();
        }
    }

    /** KeyLister's seek signature cannot throw; shard errors travel through it unchecked. */
    static final class UncheckedS3 extends RuntimeException {
        UncheckedS3(S3Exception cause) {
            super(cause);
        }

        @Override
        public synchronized S3Exception getCause() {
            return (S3Exception) super.getCause();
        }
    }

    ListPage<ObjectVersion> listVersions(String bucket, VersionQuery q) throws S3Exception {
        BucketIndex idx = store.index(bucket);
        String base = IndexKeys.versionPrefix(idx.id());
        String end = IndexKeys.end(base);
        String cursor = base + q.prefix();
        String lastKey = null;
        Optional<String> km = q.keyMarker();
        if (km.isPresent()) {
            String start = IndexKeys.afterVersionsOf(idx.id(), km.get());
            if (q.versionIdMarker().isPresent()) {
                Optional<Long> stamp = markerStamp(idx, km.get(), q.versionIdMarker().get());
                if (stamp.isPresent()) {
                    start = IndexKeys.after(IndexKeys.version(idx.id(), km.get(), stamp.get()));
                    lastKey = km.get(); // what follows inside this key is older than the marker: not latest
                }
            }
            if (Utf8Order.compare(start, cursor) > 0) {
                cursor = start;
            }
        }
        int want = q.maxKeys() + 1; // one more than asked tells whether the page is truncated
        List<ListEntry<ObjectVersion>> rows = new ArrayList<>();
        String lastPrefix = null;
        scanning:
        while (rows.size() < want) {
            List<ShardEntry> page = idx.scan(cursor, end, PAGE);
            for (ShardEntry e : page) {
                IndexKeys.VersionKey vk = IndexKeys.parseVersion(idx.id(), e.key());
                if (!vk.key().startsWith(q.prefix())) {
                    break scanning;
                }
                String common = commonPrefix(vk.key(), q.prefix(), q.delimiter());
                if (common != null) {
                    boolean before = km.isPresent()
                            && (Utf8Order.compare(common, km.get()) <= 0 || km.get().startsWith(common));
                    if (!before && !common.equals(lastPrefix)) {
                        rows.add(new ListEntry.Prefix<>(common));
                        lastPrefix = common;
                    }
                    // One seek past every version of every key under the common prefix.
                    cursor = base + Utf8Order.pastPrefix(common);
                    continue scanning;
                }
                boolean latest = !vk.key().equals(lastKey);
                lastKey = vk.key();
                VersionRecord v = idx.decode(e, VersionRecord.class).value();
                rows.add(new ListEntry.Item<>(vk.key(), v.toVersion(idx.name(), vk.key(), latest)));
                if (rows.size() >= want) {
                    break scanning;
                }
                cursor = IndexKeys.after(e.key());
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        boolean truncated = rows.size() > q.maxKeys();
        return new ListPage<>(truncated ? rows.subList(0, q.maxKeys()) : rows, truncated);
    }

    private static Optional<Long> markerStamp(BucketIndex idx, String key, String versionId) throws S3Exception {
        if (versionId.equals("null")) {
            return idx.head(key).map(h -> h.value().nullStamp());
        }
        return IndexKeys.stampOf(versionId);
    }

    static String commonPrefix(String key, String prefix, Optional<String> delimiter) {
        if (delimiter.isEmpty()) {
            return null;
        }
        int at = key.indexOf(delimiter.get(), prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.get().length());
    }

    /**
     * {@link KeyLister}'s sorted source over the key heads: one shard scan fetches a page of
     * heads, and seeks inside the page are answered from it. Heads whose current version is a
     * delete marker are skipped: those keys are not listed.
     */
    static final class HeadSource implements KeyLister.Source<ObjectInfo> {
        private final BucketIndex idx;
        private final String base;
        private final String end;
        private List<ShardEntry> page = List.of();
        private String pageFrom;
        private boolean pageToEnd;

        HeadSource(BucketIndex idx) {
            this.idx = idx;
            this.base = IndexKeys.headPrefix(idx.id());
            this.end = IndexKeys.end(base);
        }

        @Override
        public Optional<java.util.Map.Entry<String, ObjectInfo>> seek(String key, boolean inclusive) {
            String target = base + key;
            try {
                if (!covers(target)) {
                    fill(target);
                }
                while (true) {
                    for (ShardEntry e : page) {
                        int c = Utf8Order.compare(e.key(), target);
                        if (c < 0 || c == 0 && !inclusive) {
                            continue;
                        }
                        KeyHead h = idx.decode(e, KeyHead.class).value();
                        if (h.current().deleteMarker()) {
                            continue;
                        }
                        String k = e.key().substring(base.length());
                        return Optional.of(java.util.Map.entry(k, h.current().toInfo(idx.name(), k)));
                    }
                    if (pageToEnd) {
                        return Optional.empty();
                    }
                    fill(IndexKeys.after(page.getLast().key()));
                }
            } catch (S3Exception e) {
                throw new UncheckedS3(e);
            }
        }

        private boolean covers(String target) {
            if (pageFrom == null || Utf8Order.compare(pageFrom, target) > 0) {
                return false;
            }
            return pageToEnd || !page.isEmpty() && Utf8Order.compare(target, page.getLast().key()) <= 0;
        }

        private void fill(String from) throws S3Exception {
            page = idx.scan(from, end, PAGE);
            pageFrom = from;
            pageToEnd = page.size() < PAGE;
        }
    }
}
