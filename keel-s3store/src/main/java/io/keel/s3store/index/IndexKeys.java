package io.keel.s3store.index;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The shard keys of ADR 0040 §2 (and ADR 0043), all under the bucket's <em>id</em>, so a bucket
 * recreated under an old name never meets stale records.
 *
 * <ul>
 *   <li>{@code h/<bucketId>/<key>}: the key's head — its current version and where its null
 *   version sits. Every change to a key compares-and-sets this one record, because a shard
 *   condition names one key and two writers of the same object key must meet somewhere.</li>
 *   <li>{@code o/<bucketId>/<key>\0<inverted stamp>}: one record per version, newest first.</li>
 *   <li>{@code u/<bucketId>/<key>\0<uploadId>}: open uploads, by key then initiation.</li>
 *   <li>{@code p/<bucketId>/<uploadId>/<part number>}: parts of an upload.</li>
 *   <li>{@code c/<bucketId>/<counter>}: counters changed by {@code Add} in the same batch.</li>
 *   <li>{@code s/<bucketId>}: the emptiness seal (ADR 0039) or the deleted-bucket tombstone.</li>
 * </ul>
 */
public final class IndexKeys {
    /** Separates an object key from its version suffix: the least byte, so versions of "a" sort before "a/b". */
    static final char SEP = '\0';
    private static final int STAMP_HEX = 16;

    private IndexKeys() {
    }

    public static String head(String bucketId, String key) {
        return headPrefix(bucketId) + Objects.requireNonNull(key, "key");
    }

    public static String headPrefix(String bucketId) {
        return "h/" + requireId(bucketId) + "/";
    }

    public static String version(String bucketId, String key, long stamp) {
        return versionsOf(bucketId, key) + inverted(stamp);
    }

    /** Every version record of {@code key}, and nothing else: the prefix ends with the separator. */
    public static String versionsOf(String bucketId, String key) {
        return versionPrefix(bucketId) + Objects.requireNonNull(key, "key") + SEP;
    }

    public static String versionPrefix(String bucketId) {
        return "o/" + requireId(bucketId) + "/";
    }

    /** Where a scan of a key's version records starts after all of them. */
    public static String afterVersionsOf(String bucketId, String key) {
        // '~' sorts after every hex digit of a suffix.
        return versionsOf(bucketId, key) + "~";
    }

    public static String upload(String bucketId, String key, String uploadId) {
        return uploadPrefix(bucketId) + Objects.requireNonNull(key, "key") + SEP
                + Objects.requireNonNull(uploadId, "uploadId");
    }

    public static String uploadPrefix(String bucketId) {
        return "u/" + requireId(bucketId) + "/";
    }

    public static String afterUploadsOf(String bucketId, String key) {
        return uploadPrefix(bucketId) + key + SEP + "~";
    }

    public static String part(String bucketId, String uploadId, int partNumber) {
        return partsOf(bucketId, uploadId) + String.format("%05d", partNumber);
    }

    public static String partsOf(String bucketId, String uploadId) {
        return "p/" + requireId(bucketId) + "/" + uploadId + "/";
    }

    public static String counter(String bucketId, Counter counter) {
        return "c/" + requireId(bucketId) + "/" + counter.name().toLowerCase(java.util.Locale.ROOT);
    }

    public static String seal(String bucketId) {
        return "s/" + requireId(bucketId);
    }

    /** The least key greater than every key starting with {@code prefix} (prefixes here end in ASCII). */
    public static String end(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    /** The least key strictly greater than {@code key} in byte order. */
    public static String after(String key) {
        return key + SEP;
    }

    /** Fixed-width hex of MAX - stamp: newer stamps sort first, and hex digits sort as bytes. */
    static String inverted(long stamp) {
        if (stamp < 0) {
            throw new IllegalArgumentException("negative stamp " + stamp);
        }
        return HexFormat.of().toHexDigits(Long.MAX_VALUE - stamp);
    }

    /** A version record's key split into object key and stamp, given the bucket's version prefix. */
    public record VersionKey(String key, long stamp) {
        public VersionKey {
            Objects.requireNonNull(key, "key");
        }
    }

    public static VersionKey parseVersion(String bucketId, String shardKey) {
        String rest = shardKey.substring(versionPrefix(bucketId).length());
        int cut = rest.length() - STAMP_HEX - 1;
        if (cut < 0 || rest.charAt(cut) != SEP) {
            throw new IllegalStateException("not a version record key: " + shardKey);
        }
        long inv = HexFormat.fromHexDigitsToLong(rest.substring(cut + 1));
        return new VersionKey(rest.substring(0, cut), Long.MAX_VALUE - inv);
    }

    /** An upload record's key split into object key and upload id. */
    public record UploadKey(String key, String uploadId) {
    }

    public static UploadKey parseUpload(String bucketId, String shardKey) {
        String rest = shardKey.substring(uploadPrefix(bucketId).length());
        int cut = rest.lastIndexOf(SEP);
        return new UploadKey(rest.substring(0, cut), rest.substring(cut + 1));
    }

    /** Version ids we hand out: 16 hex digits of the stamp (which locates the record), then a random tail. */
    public static String versionId(long stamp, String unique) {
        return HexFormat.of().toHexDigits(stamp) + unique;
    }

    /** The stamp inside a version id we handed out; empty for anything else (never found). */
    public static Optional<Long> stampOf(String versionId) {
        if (versionId.length() <= STAMP_HEX) {
            return Optional.empty();
        }
        String head = versionId.substring(0, STAMP_HEX);
        for (int i = 0; i < head.length(); i++) {
            if (Character.digit(head.charAt(i), 16) < 0 || Character.isUpperCase(head.charAt(i))) {
                return Optional.empty();
            }
        }
        long stamp = HexFormat.fromHexDigitsToLong(head);
        return stamp < 0 ? Optional.empty() : Optional.of(stamp);
    }

    private static String requireId(String bucketId) {
        if (bucketId.isEmpty() || bucketId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("bucket ids have no '/': " + bucketId);
        }
        return bucketId;
    }
}
