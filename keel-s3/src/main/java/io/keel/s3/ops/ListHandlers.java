package io.keel.s3.ops;

import io.keel.s3.address.UriCodec;
import io.keel.s3.backend.ListEntry;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.ListQuery;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectVersion;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.UploadQuery;
import io.keel.s3.backend.VersionQuery;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** ListObjects (v1, v2), ListObjectVersions and ListMultipartUploads. */
public final class ListHandlers {
    public static final int MAX_KEYS = 1000;

    private final S3Backend backend;

    public ListHandlers(S3Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public S3Response listV1(S3Request r) throws S3Exception {
        String prefix = r.param("prefix").orElse("");
        Optional<String> delimiter = r.param("delimiter").filter(d -> !d.isEmpty());
        Optional<String> marker = r.param("marker").filter(m -> !m.isEmpty());
        int max = maxKeys(r, "max-keys");
        UnaryOperator<String> enc = encoder(r);
        ListPage<ObjectInfo> page = backend.listObjects(r.bucket(), new ListQuery(prefix, delimiter, marker, max));
        XmlWriter w = XmlWriter.document("ListBucketResult").element("Name", r.bucket())
                .element("Prefix", enc.apply(prefix)).element("Marker", enc.apply(marker.orElse("")))
                .element("MaxKeys", max);
        delimiter.ifPresent(d -> w.element("Delimiter", enc.apply(d)));
        r.param("encoding-type").ifPresent(e -> w.element("EncodingType", e));
        w.element("IsTruncated", page.truncated());
        if (page.truncated() && delimiter.isPresent()) {
            // S3 sends NextMarker only with a delimiter; without one clients continue from the last key.
            w.element("NextMarker", enc.apply(page.lastName()));
        }
        contents(w, page, enc, true);
        return S3Response.xml(w.toBytes());
    }

    public S3Response listV2(S3Request r) throws S3Exception {
        String prefix = r.param("prefix").orElse("");
        Optional<String> delimiter = r.param("delimiter").filter(d -> !d.isEmpty());
        Optional<String> token = r.param("continuation-token");
        Optional<String> startAfter = r.param("start-after").filter(s -> !s.isEmpty());
        boolean fetchOwner = r.param("fetch-owner").filter(f -> f.equals("true")).isPresent();
        int max = maxKeys(r, "max-keys");
        UnaryOperator<String> enc = encoder(r);
        Optional<String> from = token.isPresent() ? Optional.of(decodeToken(token.get())) : startAfter;
        ListPage<ObjectInfo> page = backend.listObjects(r.bucket(), new ListQuery(prefix, delimiter, from, max));
        XmlWriter w = XmlWriter.document("ListBucketResult").element("Name", r.bucket())
                .element("Prefix", enc.apply(prefix));
        delimiter.ifPresent(d -> w.element("Delimiter", enc.apply(d)));
        w.element("MaxKeys", max);
        r.param("encoding-type").ifPresent(e -> w.element("EncodingType", e));
        w.element("KeyCount", page.entries().size()).element("IsTruncated", page.truncated());
        token.ifPresent(t -> w.element("ContinuationToken", t));
        if (page.truncated()) {
            w.element("NextContinuationToken", encodeToken(page.lastName()));
        }
        startAfter.ifPresent(s -> w.element("StartAfter", enc.apply(s)));
        contents(w, page, enc, fetchOwner);
        return S3Response.xml(w.toBytes());
    }

    private static void contents(XmlWriter w, ListPage<ObjectInfo> page, UnaryOperator<String> enc, boolean owner) {
        for (ListEntry<ObjectInfo> e : page.entries()) {
            if (e instanceof ListEntry.Item<ObjectInfo> item) {
                ObjectInfo o = item.value();
                w.start("Contents").element("Key", enc.apply(o.key())).element("LastModified", o.lastModified())
                        .element("ETag", ObjectHeaders.quoted(o.etag())).element("Size", o.size());
                if (owner) {
                    BucketHandlers.owner(w, "Owner", o.owner());
                }
                w.element("StorageClass", "STANDARD").end();
            }
        }
        for (String p : page.prefixes()) {
            w.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
    }

    public S3Response listVersions(S3Request r) throws S3Exception {
        String prefix = r.param("prefix").orElse("");
        Optional<String> delimiter = r.param("delimiter").filter(d -> !d.isEmpty());
        Optional<String> keyMarker = r.param("key-marker").filter(s -> !s.isEmpty());
        Optional<String> versionMarker = r.param("version-id-marker").filter(s -> !s.isEmpty());
        if (versionMarker.isPresent() && keyMarker.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "A version-id marker cannot be specified without a key marker.");
        }
        int max = maxKeys(r, "max-keys");
        UnaryOperator<String> enc = encoder(r);
        ListPage<ObjectVersion> page = backend.listVersions(r.bucket(),
                new VersionQuery(prefix, delimiter, keyMarker, versionMarker, max));
        XmlWriter w = XmlWriter.document("ListVersionsResult").element("Name", r.bucket())
                .element("Prefix", enc.apply(prefix)).element("KeyMarker", enc.apply(keyMarker.orElse("")))
                .element("VersionIdMarker", versionMarker.orElse("")).element("MaxKeys", max);
        delimiter.ifPresent(d -> w.element("Delimiter", enc.apply(d)));
        r.param("encoding-type").ifPresent(e -> w.element("EncodingType", e));
        w.element("IsTruncated", page.truncated());
        if (page.truncated() && !page.entries().isEmpty()) {
            ListEntry<ObjectVersion> last = page.entries().getLast();
            w.element("NextKeyMarker", enc.apply(last.name()));
            if (last instanceof ListEntry.Item<ObjectVersion> item) {
                w.element("NextVersionIdMarker", item.value().versionId());
            }
        }
        for (ObjectVersion v : page.items()) {
            switch (v) {
                case ObjectVersion.Version version -> {
                    ObjectInfo o = version.info();
                    w.start("Version").element("Key", enc.apply(o.key())).element("VersionId", version.versionId())
                            .element("IsLatest", version.latest()).element("LastModified", o.lastModified())
                            .element("ETag", ObjectHeaders.quoted(o.etag())).element("Size", o.size())
                            .element("StorageClass", "STANDARD");
                    BucketHandlers.owner(w, "Owner", o.owner());
                    w.end();
                }
                case ObjectVersion.DeleteMarker m -> {
                    w.start("DeleteMarker").element("Key", enc.apply(m.key())).element("VersionId", m.versionId())
                            .element("IsLatest", m.latest()).element("LastModified", m.lastModified());
                    BucketHandlers.owner(w, "Owner", m.owner());
                    w.end();
                }
            }
        }
        for (String p : page.prefixes()) {
            w.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
        return S3Response.xml(w.toBytes());
    }

    public S3Response listUploads(S3Request r) throws S3Exception {
        String prefix = r.param("prefix").orElse("");
        Optional<String> keyMarker = r.param("key-marker").filter(s -> !s.isEmpty());
        Optional<String> idMarker = r.param("upload-id-marker").filter(s -> !s.isEmpty());
        int max = maxKeys(r, "max-uploads");
        UnaryOperator<String> enc = encoder(r);
        ListPage<MultipartUpload> page = backend.listMultipartUploads(r.bucket(),
                new UploadQuery(prefix, keyMarker, idMarker, max));
        XmlWriter w = XmlWriter.document("ListMultipartUploadsResult").element("Bucket", r.bucket())
                .element("KeyMarker", enc.apply(keyMarker.orElse(""))).element("UploadIdMarker", idMarker.orElse(""))
                .element("Prefix", enc.apply(prefix)).element("MaxUploads", max);
        r.param("encoding-type").ifPresent(e -> w.element("EncodingType", e));
        w.element("IsTruncated", page.truncated());
        if (page.truncated() && !page.items().isEmpty()) {
            MultipartUpload last = page.items().getLast();
            w.element("NextKeyMarker", enc.apply(last.key())).element("NextUploadIdMarker", last.uploadId());
        }
        for (MultipartUpload u : page.items()) {
            w.start("Upload").element("Key", enc.apply(u.key())).element("UploadId", u.uploadId());
            BucketHandlers.owner(w, "Initiator", u.object().owner());
            BucketHandlers.owner(w, "Owner", u.object().owner());
            w.element("StorageClass", "STANDARD").element("Initiated", u.initiated()).end();
        }
        return S3Response.xml(w.toBytes());
    }

    public static int maxKeys(S3Request r, String param) throws S3Exception {
        Optional<String> v = r.param(param);
        if (v.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + param + " not an integer or within integer range");
        }
    }

    private static UnaryOperator<String> encoder(S3Request r) throws S3Exception {
        Optional<String> type = r.param("encoding-type");
        if (type.isEmpty()) {
            return s -> s;
        }
        if (!type.get().equals("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        return s -> UriCodec.encode(s, true);
    }

    /** Continuation tokens are opaque to clients; ours is the base64url of the last name returned. */
    public static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeToken(String token) throws S3Exception {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect");
        }
    }
}
