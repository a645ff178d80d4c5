package io.keel.s3.ops;

import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.ListPage;
import io.keel.s3.backend.MultipartUpload;
import io.keel.s3.backend.NewObject;
import io.keel.s3.backend.ObjectBody;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.S3Backend;
import io.keel.s3.backend.StoredObject;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.xml.RequestBodies;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Multipart upload operations. */
public final class MultipartHandlers {
    /** S3's limit for one part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    private final S3Backend backend;
    private final ObjectHandlers objects;

    public MultipartHandlers(S3Backend backend, ObjectHandlers objects) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.objects = Objects.requireNonNull(objects, "objects");
    }

    public S3Response create(S3Request r) throws S3Exception {
        ObjectHeaders.refuseUnsupported(r);
        NewObject object = new NewObject(r.user(), ObjectHeaders.metadata(r), ObjectHeaders.tags(r));
        MultipartUpload u = backend.createMultipartUpload(r.bucket(), r.key(), object);
        return S3Response.xml(XmlWriter.document("InitiateMultipartUploadResult").element("Bucket", u.bucket())
                .element("Key", u.key()).element("UploadId", u.uploadId()).toBytes());
    }

    public S3Response uploadPart(S3Request r, String uploadId) throws IOException {
        int number = partNumber(r);
        long length = ObjectHeaders.declaredLength(r);
        if (length > MAX_PART_SIZE) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
        }
        ObjectBody body = new ObjectBody(r.body(), length, ObjectHeaders.checksumAlgorithm(r));
        PartInfo part = backend.uploadPart(r.bucket(), r.key(), uploadId, number, body);
        S3Response.Builder b = S3Response.status(200).header("ETag", ObjectHeaders.quoted(part.etag()));
        part.checksum().ifPresent(c -> b.header(c.algorithm().headerName(), c.base64()));
        return b.empty(0);
    }

    /**
     * The source bytes pass through the gateway into an ordinary part write: storage-neutral, and
     * the part's MD5 ETag comes out of the same code path as an uploaded part's.
     */
    public S3Response uploadPartCopy(S3Request r, String uploadId) throws IOException {
        int number = partNumber(r);
        backend.upload(r.bucket(), r.key(), uploadId);
        CopySource source = CopySource.parse(r.header("x-amz-copy-source").orElseThrow());
        try (StoredObject src = objects.openSource(r, source)) {
            Conditionals.evaluateCopySource(r, src.info());
            long size = src.info().size();
            ByteRange range = copyRange(r.header("x-amz-copy-source-range"), size);
            if (range.length() > MAX_PART_SIZE) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
            }
            PartInfo part;
            try (InputStream in = src.open(range.first(), range.length())) {
                part = backend.uploadPart(r.bucket(), r.key(), uploadId, number,
                        new ObjectBody(in, range.length(), Optional.empty()));
            }
            S3Response.Builder b = S3Response.status(200);
            src.info().versionId().ifPresent(v -> b.header("x-amz-copy-source-version-id", v));
            return b.xml(XmlWriter.document("CopyPartResult").element("LastModified", part.lastModified())
                    .element("ETag", ObjectHeaders.quoted(part.etag())).toBytes());
        }
    }

    /** {@code bytes=first-last}, both required and inside the source; else InvalidArgument / InvalidRange. */
    static ByteRange copyRange(Optional<String> header, long size) throws S3Exception {
        if (header.isEmpty()) {
            return new ByteRange(0, size);
        }
        String h = header.get().strip();
        int dash = h.indexOf('-');
        if (!h.startsWith("bytes=") || dash < 0) {
            throw badRange();
        }
        long first;
        long last;
        try {
            first = Long.parseLong(h.substring(6, dash));
            last = Long.parseLong(h.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw badRange();
        }
        if (first < 0 || last < first) {
            throw badRange();
        }
        if (last >= size) {
            throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The x-amz-copy-source-range value must be within the source object.");
        }
        return new ByteRange(first, last - first + 1);
    }

    private static S3Exception badRange() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }

    public S3Response listParts(S3Request r, String uploadId) throws S3Exception {
        int after = intParam(r, "part-number-marker", 0);
        int max = ListHandlers.maxKeys(r, "max-parts");
        MultipartUpload u = backend.upload(r.bucket(), r.key(), uploadId);
        ListPage<PartInfo> page = backend.listParts(r.bucket(), r.key(), uploadId, after, max);
        XmlWriter w = XmlWriter.document("ListPartsResult").element("Bucket", r.bucket()).element("Key", r.key())
                .element("UploadId", uploadId);
        BucketHandlers.owner(w, "Initiator", u.object().owner());
        BucketHandlers.owner(w, "Owner", u.object().owner());
        w.element("StorageClass", "STANDARD").element("PartNumberMarker", after);
        List<PartInfo> parts = page.items();
        if (!parts.isEmpty()) {
            w.element("NextPartNumberMarker", parts.getLast().partNumber());
        }
        w.element("MaxParts", max).element("IsTruncated", page.truncated());
        for (PartInfo p : parts) {
            w.start("Part").element("PartNumber", p.partNumber()).element("LastModified", p.lastModified())
                    .element("ETag", ObjectHeaders.quoted(p.etag())).element("Size", p.size());
            p.checksum().ifPresent(c -> w.element("Checksum" + c.algorithm().wireName(), c.base64()));
            w.end();
        }
        return S3Response.xml(w.toBytes());
    }

    public S3Response complete(S3Request r, String uploadId) throws IOException {
        List<CompletedPart> parts = RequestBodies.complete(SafeXml.read(r.body(), RequestBodies.MAX_COMPLETE_BYTES));
        ObjectInfo info = backend.completeMultipartUpload(r.bucket(), r.key(), uploadId, parts);
        S3Response.Builder b = S3Response.status(200);
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        return b.xml(XmlWriter.document("CompleteMultipartUploadResult")
                .element("Location", "/" + r.bucket() + "/" + r.key()).element("Bucket", r.bucket())
                .element("Key", r.key()).element("ETag", ObjectHeaders.quoted(info.etag())).toBytes());
    }

    public S3Response abort(S3Request r, String uploadId) throws S3Exception {
        backend.abortMultipartUpload(r.bucket(), r.key(), uploadId);
        return S3Response.status(204).empty();
    }

    private static int partNumber(S3Request r) throws S3Exception {
        int n = intParam(r, "partNumber", -1);
        if (n < PartInfo.MIN_PART_NUMBER || n > PartInfo.MAX_PART_NUMBER) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive");
        }
        return n;
    }

    private static int intParam(S3Request r, String name, int absent) throws S3Exception {
        Optional<String> v = r.param(name);
        if (v.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(v.get().strip());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name);
        }
    }
}
