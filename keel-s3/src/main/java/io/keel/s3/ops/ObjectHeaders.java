package io.keel.s3.ops;

import io.keel.s3.address.UriCodec;
import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.backend.ObjectMetadata;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.HttpDates;
import io.keel.s3.http.S3Request;
import io.keel.s3.http.S3Response;
import io.keel.s3.payload.ChecksumAlgorithm;
import io.keel.s3.xml.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Object metadata to and from HTTP headers. */
public final class ObjectHeaders {
    /** S3's limit on the user-defined metadata of one object (names + values, UTF-8). */
    public static final int MAX_USER_METADATA_BYTES = 2048;
    private static final String META = "x-amz-meta-";

    private ObjectHeaders() {
    }

    /**
     * Write features a client may ask for that this gateway does not provide. Ignoring them would
     * be a wrong success: a client asking for SSE-C or object lock must not believe it got it.
     */
    public static void refuseUnsupported(S3Request r) throws S3Exception {
        for (String h : r.wire().headers().keySet()) {
            if (h.startsWith("x-amz-server-side-encryption") || h.startsWith("x-amz-object-lock-")
                    || h.equals("x-amz-website-redirect-location") || h.startsWith("x-amz-grant-")
                    || h.equals("x-amz-acl") && !r.header(h).orElse("").equals("private")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The " + h + " header is not supported.");
            }
        }
        Optional<String> storageClass = r.header("x-amz-storage-class");
        if (storageClass.isPresent() && !storageClass.get().equals("STANDARD")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Only the STANDARD storage class is offered.");
        }
    }

    public static ObjectMetadata metadata(S3Request r) throws S3Exception {
        Map<String, String> user = new TreeMap<>();
        int size = 0;
        for (Map.Entry<String, List<String>> e : r.wire().headers().entrySet()) {
            if (e.getKey().startsWith(META) && e.getKey().length() > META.length()) {
                String name = e.getKey().substring(META.length());
                String value = String.join(",", e.getValue()).strip();
                size += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
                user.put(name, value);
            }
        }
        if (size > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE);
        }
        return new ObjectMetadata(r.header("content-type").filter(s -> !s.isEmpty())
                .orElse(ObjectMetadata.DEFAULT_CONTENT_TYPE), contentEncoding(r), r.header("content-disposition"),
                r.header("content-language"), r.header("cache-control"), r.header("expires"), user);
    }

    /** aws-chunked is transfer framing, not a property of the object: S3 drops it from what it stores. */
    private static Optional<String> contentEncoding(S3Request r) {
        return r.header("content-encoding").map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(","))).filter(s -> !s.isEmpty());
    }

    /** {@code x-amz-tagging}: a URL query string of key=value pairs. */
    public static Map<String, String> tags(S3Request r) throws S3Exception {
        Optional<String> header = r.header("x-amz-tagging");
        Map<String, String> tags = new LinkedHashMap<>();
        if (header.isEmpty() || header.get().isEmpty()) {
            return tags;
        }
        for (String pair : header.get().split("&")) {
            int eq = pair.indexOf('=');
            String k = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            if (tags.put(k, v) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
        }
        RequestBodies.checkTags(tags);
        return tags;
    }

    private static String decodeForm(String s) throws S3Exception {
        try {
            return UriCodec.decode(s.replace("+", "%20"));
        } catch (S3Exception e) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
        }
    }

    /** The checksum algorithm a write asked us to record, if any. */
    public static Optional<ChecksumAlgorithm> checksumAlgorithm(S3Request r) throws S3Exception {
        for (String h : r.wire().headers().keySet()) {
            Optional<ChecksumAlgorithm> a = ChecksumAlgorithm.forHeader(h);
            if (a.isPresent()) {
                return a;
            }
        }
        Optional<String> trailer = r.header("x-amz-trailer");
        if (trailer.isPresent()) {
            return ChecksumAlgorithm.forHeader(trailer.get());
        }
        Optional<String> sdk = r.header("x-amz-sdk-checksum-algorithm").or(() -> r.header("x-amz-checksum-algorithm"));
        if (sdk.isPresent()) {
            return Optional.of(ChecksumAlgorithm.forHeader("x-amz-checksum-" + sdk.get().toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Checksum algorithm provided is unsupported.")));
        }
        return Optional.empty();
    }

    /** The body length the client announced: the decoded length for aws-chunked, else Content-Length. */
    public static long declaredLength(S3Request r) throws S3Exception {
        Optional<String> v = r.header("x-amz-decoded-content-length").or(() -> r.header("content-length"));
        if (v.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Content-Length");
        }
    }

    public static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    /** The headers GET and HEAD answer with, before range and conditional handling. */
    public static void describe(S3Response.Builder b, ObjectInfo info, S3Request r) {
        ObjectMetadata m = info.metadata();
        b.header("ETag", quoted(info.etag()));
        b.header("Last-Modified", HttpDates.format(info.lastModified()));
        b.header("Accept-Ranges", "bytes");
        info.versionId().ifPresent(v -> b.header("x-amz-version-id", v));
        b.header("Content-Type", r.param("response-content-type").orElse(m.contentType()));
        override(b, r, "Content-Encoding", "response-content-encoding", m.contentEncoding());
        override(b, r, "Content-Disposition", "response-content-disposition", m.contentDisposition());
        override(b, r, "Content-Language", "response-content-language", m.contentLanguage());
        override(b, r, "Cache-Control", "response-cache-control", m.cacheControl());
        override(b, r, "Expires", "response-expires", m.expires());
        m.user().forEach((k, v) -> b.header(META + k, v));
        if (!info.tags().isEmpty()) {
            b.header("x-amz-tagging-count", Integer.toString(info.tags().size()));
        }
        if (info.partCount() > 0) {
            b.header("x-amz-mp-parts-count", Integer.toString(info.partCount()));
        }
    }

    /** The stored checksum, when asked for and it describes the bytes being sent (whole object). */
    public static void checksum(S3Response.Builder b, ObjectInfo info, S3Request r, boolean wholeObject) {
        boolean asked = r.header("x-amz-checksum-mode").filter(m -> m.equalsIgnoreCase("ENABLED")).isPresent();
        if (asked && wholeObject && info.checksum().isPresent()) {
            b.header(info.checksum().get().algorithm().headerName(), info.checksum().get().base64());
        }
    }

    private static void override(S3Response.Builder b, S3Request r, String header, String param, Optional<String> stored) {
        Optional<String> v = r.param(param).or(() -> stored);
        v.ifPresent(s -> b.header(header, s));
    }
}
