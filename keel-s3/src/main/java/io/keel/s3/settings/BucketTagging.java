package io.keel.s3.settings;

import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.xml.SafeXml;
import io.keel.s3.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.w3c.dom.Element;

/**
 * A bucket's tag set. S3 allows 50 tags on a bucket (objects: 10); keys 1-128 characters, values
 * 0-256, keys unique, and the {@code aws:} prefix reserved. Rendered sorted by key.
 */
public record BucketTagging(Map<String, String> tags) {
    public static final int MAX_TAGS = 50;
    public static final int MAX_BYTES = 64 * 1024;

    public BucketTagging {
        tags = Map.copyOf(tags);
    }

    public static BucketTagging parse(byte[] xml) throws S3Exception {
        Element root = SafeXml.parse(xml, "Tagging");
        SafeXml.onlyChildren(root, Set.of("TagSet"));
        java.util.List<Element> sets = SafeXml.children(root, "TagSet");
        if (sets.size() != 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "Tagging needs exactly one TagSet.");
        }
        Element set = sets.getFirst();
        SafeXml.onlyChildren(set, Set.of("Tag"));
        Map<String, String> tags = new TreeMap<>();
        for (Element t : SafeXml.children(set, "Tag")) {
            SafeXml.onlyChildren(t, Set.of("Key", "Value"));
            String key = SafeXml.required(t, "Key");
            String value = SafeXml.required(t, "Value");
            if (key.isEmpty() || key.length() > 128) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid");
            }
            if (value.length() > 256) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid");
            }
            if (key.startsWith("aws:")) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "System tags cannot be added/updated by requester");
            }
            if (tags.put(key, value) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Bucket tag count cannot be greater than " + MAX_TAGS);
        }
        return new BucketTagging(tags);
    }

    /** The canonical document: what is stored and what GetBucketTagging answers. */
    public String render() {
        XmlWriter w = XmlWriter.document("Tagging").start("TagSet");
        new TreeMap<>(tags).forEach((k, v) -> w.start("Tag").element("Key", k).element("Value", v).end());
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }
}
