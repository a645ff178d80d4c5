package io.keel.s3.http;

import io.keel.s3.backend.BucketInfo;
import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.KeyLister;
import io.keel.s3.backend.ListEntry;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.MultipartRules;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A test double of the storage the node will provide; used only to drive the real server in tests. */
final class InMemoryBackend implements S3Backend {
    private sealed interface Ver {
        String versionId();
    }

    private record Data(ObjectInfo info, byte[] bytes) implements Ver {
        @Override
        public String versionId() {
            return info.versionId().orElse("null");
        }
    }

    private record Marker(String key, String versionId, Instant at, String owner) implements Ver {
    }

    private record Part(PartInfo info, byte[] bytes) {
    }

    private static final class Bucket {
        final BucketInfo info;
        VersioningState state = VersioningState.UNVERSIONED;
        final TreeMap<String, List<Ver>> keys = new TreeMap<>(); // newest version first
        final Map<String, MultipartUpload> uploads = new LinkedHashMap<>();
        final Map<String, TreeMap<Integer, Part>> parts = new HashMap<>();

        Bucket(BucketInfo info) {
            this.info = info;
        }
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new TreeMap<>();
    private long sequence;

    InMemoryBackend(Clock clock) {
        this.clock = clock;
    }

    private String nextId() {
        return String.format("v%012d", ++sequence);
    }

    private Bucket b(String name) throws S3Exception {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        return b;
    }

    @Override
    public synchronized BucketInfo createBucket(String bucket, String owner, String region) throws S3Exception {
        Bucket existing = buckets.get(bucket);
        if (existing != null) {
            throw new S3Exception(existing.info.owner().equals(owner) ? S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU
                    : S3ErrorCode.BUCKET_ALREADY_EXISTS);
        }
        BucketInfo info = new BucketInfo(bucket, owner, clock.instant(), region);
        buckets.put(bucket, new Bucket(info));
        return info;
    }

    @Override
    public synchronized Optional<BucketInfo> bucket(String bucket) {
        return Optional.ofNullable(buckets.get(bucket)).map(b -> b.info);
    }

    @Override
    public synchronized List<BucketInfo> listBuckets(String owner) {
        return buckets.values().stream().map(b -> b.info).filter(i -> i.owner().equals(owner)).toList();
    }

    @Override
    public synchronized void deleteBucket(String bucket) throws S3Exception {
        Bucket b = b(bucket);
        if (!b.keys.isEmpty() || !b.uploads.isEmpty()) {
            throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY);
        }
        buckets.remove(bucket);
    }

    @Override
    public synchronized VersioningState versioning(String bucket) throws S3Exception {
        return b(bucket).state;
    }

    @Override
    public synchronized void setVersioning(String bucket, VersioningState state) throws S3Exception {
        b(bucket).state = state;
    }

    @Override
    public ObjectInfo putObject(String bucket, String key, NewObject object, ObjectBody body) throws IOException {
        byte[] bytes = body.readAllBytes(); // outside the lock; visible only after the checks passed
        synchronized (this) {
            return commit(b(bucket), key, object, bytes, body.etag(), body.checksum(), 0);
        }
    }

    private ObjectInfo commit(Bucket b, String key, NewObject object, byte[] bytes, String etag,
            Optional<io.keel.s3.backend.StoredChecksum> checksum, int parts) {
        Optional<String> vid = switch (b.state) {
            case UNVERSIONED -> Optional.empty();
            case ENABLED -> Optional.of(nextId());
            case SUSPENDED -> Optional.of("null");
        };
        ObjectInfo info = new ObjectInfo(b.info.name(), key, vid, bytes.length, etag, clock.instant(), object.owner(),
                object.metadata(), object.tags(), checksum, parts);
        add(b, key, new Data(info, bytes));
        return info;
    }

    private void add(Bucket b, String key, Ver v) {
        List<Ver> list = b.keys.computeIfAbsent(key, k -> new ArrayList<>());
        if (b.state == VersioningState.UNVERSIONED) {
            list.clear();
        } else if (b.state == VersioningState.SUSPENDED) {
            list.removeIf(x -> x.versionId().equals("null"));
        }
        list.addFirst(v);
    }

    @Override
    public synchronized StoredObject getObject(String bucket, String key, Optional<String> versionId) throws S3Exception {
        Bucket b = b(bucket);
        List<Ver> list = b.keys.getOrDefault(key, List.of());
        Ver v;
        if (versionId.isEmpty()) {
            v = list.isEmpty() ? null : list.getFirst();
            if (!(v instanceof Data)) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
            }
        } else {
            v = list.stream().filter(x -> x.versionId().equals(versionId.get())).findFirst().orElse(null);
            if (v == null) {
                throw new S3Exception(b.state == VersioningState.UNVERSIONED ? S3ErrorCode.NO_SUCH_KEY
                        : S3ErrorCode.NO_SUCH_VERSION);
            }
            if (v instanceof Marker) {
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            }
        }
        Data d = (Data) v;
        return new StoredObject() {
            @Override
            public ObjectInfo info() {
                return d.info();
            }

            @Override
            public InputStream open(long offset, long length) {
                return new ByteArrayInputStream(d.bytes(), (int) offset, (int) length);
            }
        };
    }

    @Override
    public synchronized DeleteResult deleteObject(String bucket, String key, Optional<String> versionId)
            throws S3Exception {
        Bucket b = b(bucket);
        List<Ver> list = b.keys.get(key);
        if (versionId.isPresent()) {
            boolean marker = false;
            if (list != null) {
                Optional<Ver> found = list.stream().filter(x -> x.versionId().equals(versionId.get())).findFirst();
                marker = found.isPresent() && found.get() instanceof Marker;
                found.ifPresent(list::remove);
                if (list.isEmpty()) {
                    b.keys.remove(key);
                }
            }
            return new DeleteResult.Removed(versionId, marker);
        }
        if (b.state == VersioningState.UNVERSIONED) {
            return b.keys.remove(key) == null ? new DeleteResult.Absent() : new DeleteResult.Removed(Optional.empty(), false);
        }
        String id = b.state == VersioningState.ENABLED ? nextId() : "null";
        add(b, key, new Marker(key, id, clock.instant(), b.info.owner()));
        return new DeleteResult.MarkerCreated(id);
    }

    @Override
    public synchronized ListPage<ObjectInfo> listObjects(String bucket, ListQuery query) throws S3Exception {
        TreeMap<String, ObjectInfo> current = new TreeMap<>();
        b(bucket).keys.forEach((k, list) -> {
            if (!list.isEmpty() && list.getFirst() instanceof Data d) {
                current.put(k, d.info());
            }
        });
        return KeyLister.page((key, inclusive) -> Optional.ofNullable(
                inclusive ? current.ceilingEntry(key) : current.higherEntry(key)), query);
    }

    @Override
    public synchronized ListPage<ObjectVersion> listVersions(String bucket, VersionQuery q) throws S3Exception {
        Bucket b = b(bucket);
        List<ListEntry<ObjectVersion>> rows = new ArrayList<>();
        String lastPrefix = null;
        for (Map.Entry<String, List<Ver>> e : b.keys.tailMap(q.prefix(), true).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(q.prefix())) {
                break;
            }
            if (q.delimiter().isPresent()) {
                int at = key.indexOf(q.delimiter().get(), q.prefix().length());
                if (at >= 0) {
                    String p = key.substring(0, at + q.delimiter().get().length());
                    if (!p.equals(lastPrefix)) {
                        rows.add(new ListEntry.Prefix<>(p));
                        lastPrefix = p;
                    }
                    continue;
                }
            }
            boolean latest = true;
            for (Ver v : e.getValue()) {
                ObjectVersion ov = switch (v) {
                    case Data d -> new ObjectVersion.Version(d.info(), latest);
                    case Marker m -> new ObjectVersion.DeleteMarker(key, m.versionId(), latest, m.at(), m.owner());
                };
                rows.add(new ListEntry.Item<>(key, ov));
                latest = false;
            }
        }
        int start = 0;
        if (q.keyMarker().isPresent()) {
            String km = q.keyMarker().get();
            start = rows.size();
            for (int i = 0; i < rows.size(); i++) {
                ListEntry<ObjectVersion> r = rows.get(i);
                int c = r.name().compareTo(km);
                if (c > 0 && !(r instanceof ListEntry.Prefix<ObjectVersion> && km.startsWith(r.name()))) {
                    start = i;
                    break;
                }
                if (c == 0 && q.versionIdMarker().isPresent() && r instanceof ListEntry.Item<ObjectVersion> item
                        && item.value().versionId().equals(q.versionIdMarker().get())) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = Math.min(rows.size(), start + q.maxKeys());
        return new ListPage<>(rows.subList(start, end), end < rows.size());
    }

    @Override
    public synchronized ObjectInfo copyObject(StoredObject source, String bucket, String key, NewObject object)
            throws IOException {
        ObjectInfo s = source.info();
        byte[] bytes = source.open(0, s.size()).readAllBytes();
        return commit(b(bucket), key, object, bytes, s.etag(), s.checksum(), s.partCount());
    }

    @Override
    public synchronized ObjectInfo putTags(String bucket, String key, Optional<String> versionId,
            Map<String, String> tags) throws S3Exception {
        ObjectInfo info;
        try (StoredObject o = getObject(bucket, key, versionId)) {
            info = o.info();
        }
        List<Ver> list = b(bucket).keys.get(key);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Data d && d.info().equals(info)) {
                ObjectInfo tagged = info.withTags(tags);
                list.set(i, new Data(tagged, d.bytes()));
                return tagged;
            }
        }
        throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
    }

    @Override
    public synchronized MultipartUpload createMultipartUpload(String bucket, String key, NewObject object)
            throws S3Exception {
        Bucket b = b(bucket);
        MultipartUpload u = new MultipartUpload(bucket, key, "u" + nextId(), clock.instant(), object);
        b.uploads.put(u.uploadId(), u);
        b.parts.put(u.uploadId(), new TreeMap<>());
        return u;
    }

    @Override
    public synchronized MultipartUpload upload(String bucket, String key, String uploadId) throws S3Exception {
        MultipartUpload u = b(bucket).uploads.get(uploadId);
        if (u == null || !u.key().equals(key)) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD);
        }
        return u;
    }

    @Override
    public PartInfo uploadPart(String bucket, String key, String uploadId, int partNumber, ObjectBody body)
            throws IOException {
        upload(bucket, key, uploadId);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.transferTo(out);
        synchronized (this) {
            upload(bucket, key, uploadId);
            PartInfo info = new PartInfo(partNumber, out.size(), body.etag(), clock.instant(), body.checksum());
            b(bucket).parts.get(uploadId).put(partNumber, new Part(info, out.toByteArray()));
            return info;
        }
    }

    @Override
    public synchronized ListPage<PartInfo> listParts(String bucket, String key, String uploadId, int afterPart,
            int maxParts) throws S3Exception {
        upload(bucket, key, uploadId);
        List<ListEntry<PartInfo>> rows = new ArrayList<>();
        for (Part p : b(bucket).parts.get(uploadId).tailMap(afterPart, false).values()) {
            rows.add(new ListEntry.Item<>(Integer.toString(p.info().partNumber()), p.info()));
        }
        int end = Math.min(rows.size(), maxParts);
        return new ListPage<>(rows.subList(0, end), end < rows.size());
    }

    @Override
    public synchronized ObjectInfo completeMultipartUpload(String bucket, String key, String uploadId,
            List<CompletedPart> parts) throws S3Exception {
        MultipartUpload u = upload(bucket, key, uploadId);
        Bucket b = b(bucket);
        TreeMap<Integer, Part> stored = b.parts.get(uploadId);
        Map<Integer, PartInfo> infos = new HashMap<>();
        stored.forEach((n, p) -> infos.put(n, p.info()));
        MultipartRules.Assembly a = MultipartRules.assemble(parts, infos, MultipartRules.MIN_PART_SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PartInfo p : a.parts()) {
            out.writeBytes(stored.get(p.partNumber()).bytes());
        }
        b.uploads.remove(uploadId);
        b.parts.remove(uploadId);
        return commit(b, key, u.object(), out.toByteArray(), a.etag(), Optional.empty(), a.parts().size());
    }

    @Override
    public synchronized void abortMultipartUpload(String bucket, String key, String uploadId) throws S3Exception {
        upload(bucket, key, uploadId);
        b(bucket).uploads.remove(uploadId);
        b(bucket).parts.remove(uploadId);
    }

    @Override
    public synchronized ListPage<MultipartUpload> listMultipartUploads(String bucket, UploadQuery q)
            throws S3Exception {
        List<MultipartUpload> all = b(bucket).uploads.values().stream().filter(u -> u.key().startsWith(q.prefix()))
                .sorted((x, y) -> x.key().equals(y.key()) ? x.uploadId().compareTo(y.uploadId())
                        : x.key().compareTo(y.key()))
                .filter(u -> q.keyMarker().isEmpty() || u.key().compareTo(q.keyMarker().get()) > 0
                        || u.key().equals(q.keyMarker().get()) && q.uploadIdMarker().isPresent()
                                && u.uploadId().compareTo(q.uploadIdMarker().get()) > 0)
                .toList();
        List<ListEntry<MultipartUpload>> rows = new ArrayList<>();
        for (MultipartUpload u : all.subList(0, Math.min(all.size(), q.maxUploads()))) {
            rows.add(new ListEntry.Item<>(u.key(), u));
        }
        return new ListPage<>(rows, all.size() > q.maxUploads());
    }
}
