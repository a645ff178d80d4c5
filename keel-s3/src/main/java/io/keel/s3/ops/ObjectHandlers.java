package io.keel.s3.ops;

import io.keel.s3.backend.DeleteResult;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.backend.S3Authorizer;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.HttpDates;
import io.keel.s3.http.S3Failure;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.xml.RequestBodies;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Single-object operations: put, get, head, delete, copy, tagging. */
public final class ObjectHandlers {
    /** S3's limit for a single PUT; larger objects need multipart. */
    public static final long MAX_PUT_SIZE = 5L * 1024 * 1024 * 1024;

    private final S3Backend backend;
    private final S3Authorizer authorizer;

    public ObjectHandlers(S3Backend backend, S3Authorizer authorizer) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    public S3Response put(S3Request r) throws IOException {
        if (r.header("if-match").isPresent() || r.header("if-none-match").isPresent()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Conditional writes are not implemented.");
        }
        ObjectHeaders.refuseUnsupported(r);
        long length = ObjectHeaders.declaredLength(r);
        if (length > MAX_PUT_SIZE) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
        }
        NewObject object = new NewObject(r.user(), ObjectHeaders.metadata(r), ObjectHeaders.tags(r));
        ObjectBody body = new ObjectBody(r.body(), length, ObjectHeaders.checksumAlgorithm(r));
        ObjectInfo info = backend.putObject(r.bucket(), r.key(), object, body);
        S3Response.Builder b = S3Response.status(200).header("ETag", ObjectHeaders.quoted(info.etag()));
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        info.checksum().ifPresent(c -> b.header(c.algorithm().headerName(), c.base64()));
        return b.empty(0);
    }

    public S3Response get(S3Request r, boolean head) throws IOException {
        StoredObject object = backend.getObject(r.bucket(), r.key(), versionId(r));
        boolean handedOff = false;
        try {
            ObjectInfo info = object.info();
            S3Response.Builder b;
            if (Conditionals.evaluate(r, info) == Conditionals.Outcome.NOT_MODIFIED) {
                b = S3Response.status(304).header("ETag", ObjectHeaders.quoted(info.etag()))
                        .header("Last-Modified", HttpDates.format(info.lastModified()));
                info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
                return b.empty();
            }
            Optional<ByteRange> range;
            try {
                range = ByteRange.resolve(r.header("range"), info.size());
            } catch (S3Exception e) {
                // RFC 9110: a 416 names the current length so the client can retry sensibly.
                throw new S3Failure(e, List.of(new S3Response.Header("Content-Range", "bytes */" + info.size())));
            }
            b = S3Response.status(range.isPresent() ? 206 : 200);
            ObjectHeaders.describe(b, info, r);
            range.ifPresent(x -> b.header("Content-Range", x.contentRange(info.size())));
            ObjectHeaders.checksum(b, info, r, range.isEmpty());
            long offset = range.map(ByteRange::first).orElse(0L);
            long length = range.map(ByteRange::length).orElse(info.size());
            if (head) {
                return b.empty(length);
            }
            handedOff = true;
            return b.stream(object, offset, length);
        } finally {
            if (!handedOff) {
                object.close();
            }
        }
    }

    public S3Response delete(S3Request r) throws S3Exception {
        DeleteResult result = backend.deleteObject(r.bucket(), r.key(), versionId(r));
        S3Response.Builder b = S3Response.status(204);
        switch (result) {
            case DeleteResult.Removed removed -> {
                removed.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
                if (removed.wasDeleteMarker()) {
                    b.header("x-amz-delete-marker", "true");
                }
            }
            case DeleteResult.MarkerCreated marker -> b.header("x-amz-version-id", marker.versionId())
                    .header("x-amz-delete-marker", "true");
            case DeleteResult.Absent absent -> {
            }
        }
        return b.empty();
    }

    /** DeleteObjects: each key succeeds or fails on its own; quiet mode reports failures only. */
    public S3Response deleteMany(S3Request r) throws IOException {
        RequestBodies.DeleteRequest request = RequestBodies.delete(SafeXml.read(r.body(), RequestBodies.MAX_DELETE_BYTES));
        XmlWriter w = XmlWriter.document("DeleteResult");
        Optional<io.keel.s3.backend.BucketInfo> bucket = backend.bucket(r.bucket());
        for (RequestBodies.ObjectId id : request.objects()) {
            try {
                // A policy may grant deleting some keys and not others: each key is judged on its own.
                authorizer.authorize(r.principal(), new S3Authorizer.Action("DeleteObject", Optional.of(r.bucket()),
                        Optional.of(id.key()), id.versionId()), bucket);
                DeleteResult result = backend.deleteObject(r.bucket(), id.key(), id.versionId());
                if (request.quiet()) {
                    continue;
                }
                w.start("Deleted").element("Key", id.key());
                id.versionId().ifPresent(v -> w.element("VersionId", v));
                switch (result) {
                    case DeleteResult.MarkerCreated m -> w.element("DeleteMarker", true)
                            .element("DeleteMarkerVersionId", m.versionId());
                    case DeleteResult.Removed removed when removed.wasDeleteMarker() ->
                            w.element("DeleteMarker", true).element("DeleteMarkerVersionId", removed.versionId().orElse("null"));
                    default -> {
                    }
                }
                w.end();
            } catch (S3Exception e) {
                w.start("Error").element("Key", id.key());
                id.versionId().ifPresent(v -> w.element("VersionId", v));
                w.element("Code", e.code().code()).element("Message", e.getMessage()).end();
            }
        }
        return S3Response.xml(w.toBytes());
    }

    public S3Response copy(S3Request r) throws IOException {
        ObjectHeaders.refuseUnsupported(r);
        CopySource source = CopySource.parse(r.header("x-amz-copy-source").orElseThrow());
        String directive = r.header("x-amz-metadata-directive").orElse("COPY");
        String tagDirective = r.header("x-amz-tagging-directive").orElse("COPY");
        if (!directive.equals("COPY") && !directive.equals("REPLACE")
                || !tagDirective.equals("COPY") && !tagDirective.equals("REPLACE")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown metadata or tagging directive.");
        }
        try (StoredObject src = openSource(r, source)) {
            ObjectInfo s = src.info();
            Conditionals.evaluateCopySource(r, s);
            boolean sameObject = source.bucket().equals(r.bucket()) && source.key().equals(r.key())
                    && source.versionId().isEmpty();
            if (sameObject && directive.equals("COPY")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying "
                        + "to copy an object to itself without changing the object's metadata, storage class, "
                        + "website redirect location or encryption attributes.");
            }
            ObjectMetadata metadata = directive.equals("REPLACE") ? ObjectHeaders.metadata(r) : s.metadata();
            Map<String, String> tags = tagDirective.equals("REPLACE") ? ObjectHeaders.tags(r) : s.tags();
            ObjectInfo info = backend.copyObject(src, r.bucket(), r.key(), new NewObject(r.user(), metadata, tags));
            S3Response.Builder b = S3Response.status(200);
            info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
            s.versionId().ifPresent(v -> b.header("x-amz-copy-source-version-id", v));
            return b.xml(XmlWriter.document("CopyObjectResult").element("LastModified", info.lastModified())
                    .element("ETag", ObjectHeaders.quoted(info.etag())).toBytes());
        }
    }

    /** Opens a copy source after checking the caller may read it: a copy is a read of the source. */
    StoredObject openSource(S3Request r, CopySource source) throws S3Exception {
        authorizer.authorize(r.principal(), new S3Authorizer.Action("GetObject", Optional.of(source.bucket()),
                Optional.of(source.key()), source.versionId()), backend.bucket(source.bucket()));
        if (backend.bucket(source.bucket()).isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET);
        }
        return backend.getObject(source.bucket(), source.key(), source.versionId());
    }

    public S3Response getTags(S3Request r) throws S3Exception {
        ObjectInfo info;
        try (StoredObject o = backend.getObject(r.bucket(), r.key(), versionId(r))) {
            info = o.info();
        }
        XmlWriter w = XmlWriter.document("Tagging").start("TagSet");
        info.tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> w.start("Tag").element("Key", e.getKey()).element("Value", e.getValue()).end());
        S3Response.Builder b = S3Response.status(200);
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        return b.xml(w.toBytes());
    }

    public S3Response putTags(S3Request r) throws IOException {
        Map<String, String> tags = RequestBodies.tagging(SafeXml.read(r.body(), RequestBodies.MAX_SMALL_BYTES));
        ObjectInfo info = backend.putTags(r.bucket(), r.key(), versionId(r), tags);
        S3Response.Builder b = S3Response.status(200);
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        return b.empty(0);
    }

    public S3Response deleteTags(S3Request r) throws S3Exception {
        ObjectInfo info = backend.putTags(r.bucket(), r.key(), versionId(r), Map.of());
        S3Response.Builder b = S3Response.status(204);
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        return b.empty();
    }

    static Optional<String> versionId(S3Request r) throws S3Exception {
        Optional<String> v = r.param("versionId");
        if (v.isPresent() && v.get().isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Version id cannot be the empty string");
        }
        return v;
    }
}
