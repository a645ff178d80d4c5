package io.keel.s3.ops;

import io.keel.s3.backend.ObjectInfo;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.http.HttpDates;
import io.keel.s3.http.S3Request;
import io.keel.s3.xml.RequestBodies;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 7232 preconditions as S3 evaluates them. For GET/HEAD: If-Match, else If-Unmodified-Since,
 * decides 412; then If-None-Match, else If-Modified-Since, decides 304. For copies (the
 * {@code x-amz-copy-source-if-*} headers) every failure is 412.
 */
public final class Conditionals {
    /** The outcome for GET/HEAD. */
    public enum Outcome { PROCEED, NOT_MODIFIED }

    private Conditionals() {
    }

    public static Outcome evaluate(S3Request r, ObjectInfo info) throws S3Exception {
        return evaluate(r, info, "", false);
    }

    /** The CopyObject / UploadPartCopy source conditions; a failure is always 412. */
    public static void evaluateCopySource(S3Request r, ObjectInfo source) throws S3Exception {
        evaluate(r, source, "x-amz-copy-source-", true);
    }

    private static Outcome evaluate(S3Request r, ObjectInfo info, String prefix, boolean copy) throws S3Exception {
        Optional<String> ifMatch = r.header(prefix + "if-match");
        Optional<String> ifNoneMatch = r.header(prefix + "if-none-match");
        Optional<Instant> ifUnmodified = r.header(prefix + "if-unmodified-since").flatMap(HttpDates::parse);
        Optional<Instant> ifModified = r.header(prefix + "if-modified-since").flatMap(HttpDates::parse);
        Instant modified = HttpDates.seconds(info.lastModified());
        if (ifMatch.isPresent()) {
            if (!matches(ifMatch.get(), info.etag())) {
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            }
        } else if (ifUnmodified.isPresent() && modified.isAfter(ifUnmodified.get())) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
        boolean notModified;
        if (ifNoneMatch.isPresent()) {
            notModified = matches(ifNoneMatch.get(), info.etag());
        } else {
            notModified = ifModified.isPresent() && !modified.isAfter(ifModified.get());
        }
        if (notModified) {
            if (copy) {
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            }
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /** A comma-separated list of (possibly weak, possibly unquoted) entity tags, or {@code *}. */
    static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (RequestBodies.unquote(c).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
