package io.keel.s3.ops;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.Optional;

/** A satisfiable byte range of an object of known size: first byte and length. */
public record ByteRange(long first, long length) {
    public long last() {
        return first + length - 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last() + "/" + size;
    }

    /**
     * Resolves a Range header against the object size. Syntax S3 does not act on (other units,
     * several ranges, garbage) is ignored and the whole object is sent, as HTTP prescribes; a
     * well-formed range that selects nothing is InvalidRange (416).
     */
    public static Optional<ByteRange> resolve(Optional<String> header, long size) throws S3Exception {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String h = header.get().strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (!digits(a) && !a.isEmpty() || !digits(b) && !b.isEmpty() || a.isEmpty() && b.isEmpty()) {
            return Optional.empty();
        }
        if (a.isEmpty()) {
            long suffix = parse(b);
            if (suffix == 0 || size == 0) {
                throw unsatisfiable();
            }
            long n = Math.min(suffix, size);
            return Optional.of(new ByteRange(size - n, n));
        }
        long first = parse(a);
        if (first >= size) {
            throw unsatisfiable();
        }
        long last = b.isEmpty() ? size - 1 : Math.min(parse(b), size - 1);
        if (last < first) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(first, last - first + 1));
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long parse(String s) {
        return Long.parseLong(s);
    }

    private static S3Exception unsatisfiable() {
        return new S3Exception(S3ErrorCode.INVALID_RANGE);
    }
}
