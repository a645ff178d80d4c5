package io.keel.s3.backend;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * S3's rules for completing a multipart upload, shared by every backend: a backend calls
 * {@link #assemble} inside the same atomic step that commits the object, against the parts it
 * holds at that moment, so a part re-uploaded concurrently cannot slip past the checks.
 */
public final class MultipartRules {
    /** Every part but the last must be at least this large. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    private MultipartRules() {
    }

    /** The chosen parts, in order, and the object's ETag ({@code md5(md5s)-N}). */
    public record Assembly(List<PartInfo> parts, String etag, long size) {
        public Assembly {
            parts = List.copyOf(parts);
            Objects.requireNonNull(etag, "etag");
        }
    }

    /**
     * @param requested the client's list (already checked for ascending order)
     * @param stored    the parts the upload holds, by number
     */
    public static Assembly assemble(List<CompletedPart> requested, Map<Integer, PartInfo> stored, long minPartSize)
            throws S3Exception {
        if (requested.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "You must specify at least one part");
        }
        List<PartInfo> chosen = new ArrayList<>(requested.size());
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        for (int i = 0; i < requested.size(); i++) {
            CompletedPart want = requested.get(i);
            PartInfo have = stored.get(want.partNumber());
            if (have == null || !have.etag().equalsIgnoreCase(want.etag())) {
                throw new S3Exception(S3ErrorCode.INVALID_PART);
            }
            if (i < requested.size() - 1 && have.size() < minPartSize) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL);
            }
            md5.update(HexFormat.of().parseHex(have.etag()));
            size += have.size();
            chosen.add(have);
        }
        String etag = HexFormat.of().formatHex(md5.digest()) + "-" + requested.size();
        return new Assembly(chosen, etag, size);
    }
}
