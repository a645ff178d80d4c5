package io.keel.s3.xml;

import io.keel.s3.backend.CompletedPart;
import io.keel.s3.backend.PartInfo;
import io.keel.s3.backend.VersioningState;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;

/** The request documents S3 operations accept, parsed into values. Every rule break is an S3 error. */
public final class RequestBodies {
    /** DeleteObjects takes at most this many keys; its document is correspondingly larger. */
    public static final int MAX_DELETE_KEYS = 1000;
    public static final int MAX_DELETE_BYTES = 2 * 1024 * 1024;
    /** 10,000 parts with checksums fit comfortably. */
    public static final int MAX_COMPLETE_BYTES = 2 * 1024 * 1024;
    public static final int MAX_SMALL_BYTES = 64 * 1024;
    public static final int MAX_TAGS = 10;

    private RequestBodies() {
    }

    public record ObjectId(String key, Optional<String> versionId) {
        public ObjectId {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
        }
    }

    public record DeleteRequest(boolean quiet, List<ObjectId> objects) {
        public DeleteRequest {
            objects = List.copyOf(objects);
        }
    }

    public static DeleteRequest delete(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "Delete");
        boolean quiet = bool(SafeXml.text(root, "Quiet").orElse("false"));
        List<Element> objects = SafeXml.children(root, "Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_KEYS) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<ObjectId> ids = new ArrayList<>(objects.size());
        for (Element o : objects) {
            String key = SafeXml.required(o, "Key");
            if (key.isEmpty()) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            ids.add(new ObjectId(key, SafeXml.text(o, "VersionId").filter(v -> !v.isEmpty())));
        }
        return new DeleteRequest(quiet, ids);
    }

    /** CompleteMultipartUpload's part list; InvalidPartOrder unless part numbers strictly ascend. */
    public static List<CompletedPart> complete(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "CompleteMultipartUpload");
        List<Element> parts = SafeXml.children(root, "Part");
        if (parts.isEmpty() || parts.size() > PartInfo.MAX_PART_NUMBER) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<CompletedPart> out = new ArrayList<>(parts.size());
        int previous = 0;
        for (Element p : parts) {
            int number = integer(SafeXml.required(p, "PartNumber"));
            if (number < PartInfo.MIN_PART_NUMBER || number > PartInfo.MAX_PART_NUMBER) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive");
            }
            if (number <= previous) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
            }
            previous = number;
            out.add(new CompletedPart(number, unquote(SafeXml.required(p, "ETag"))));
        }
        return out;
    }

    /** A TagSet: at most 10 tags, keys 1-128 and values 0-256 characters, keys unique. */
    public static Map<String, String> tagging(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "Tagging");
        List<Element> sets = SafeXml.children(root, "TagSet");
        if (sets.size() != 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element t : SafeXml.children(sets.getFirst(), "Tag")) {
            String key = SafeXml.required(t, "Key");
            String value = SafeXml.required(t, "Value");
            if (tags.put(key, value) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
        }
        checkTags(tags);
        return tags;
    }

    public static void checkTags(Map<String, String> tags) throws S3Exception {
        if (tags.size() > MAX_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Object tags cannot be greater than 10");
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 128) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid");
            }
            if (e.getValue().length() > 256) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid");
            }
        }
    }

    /** Enabled or Suspended; MFA delete is not offered. */
    public static VersioningState versioning(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "VersioningConfiguration");
        if (SafeXml.text(root, "MfaDelete").filter(m -> m.equals("Enabled")).isPresent()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "MFA delete is not supported.");
        }
        return switch (SafeXml.text(root, "Status").orElse("")) {
            case "Enabled" -> VersioningState.ENABLED;
            case "Suspended" -> VersioningState.SUSPENDED;
            default -> throw new S3Exception(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION);
        };
    }

    /** The LocationConstraint of a CreateBucketConfiguration, if one is named. */
    public static Optional<String> locationConstraint(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "CreateBucketConfiguration");
        return SafeXml.text(root, "LocationConstraint").map(String::strip).filter(s -> !s.isEmpty());
    }

    public static String unquote(String etag) {
        String e = etag.strip();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static boolean bool(String s) throws S3Exception {
        return switch (s.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        };
    }

    private static int integer(String s) throws S3Exception {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        return Integer.parseInt(t);
    }
}
