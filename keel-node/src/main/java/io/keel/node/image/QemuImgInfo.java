package io.keel.node.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code qemu-img info --output=json} says about a file: its format as qemu-img probed it,
 * the disk size it holds, and the things that make an uploaded qcow2 unsafe or unusable on its
 * own: a backing file or an external data file (either would make qemu-img read another file
 * on the node, a well-known way to leak host files through an image), and the corrupt flag.
 */
public record QemuImgInfo(String format, long virtualSize, String backingFile, String dataFile, boolean corrupt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the text is not qemu-img's JSON */
    public static QemuImgInfo parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("qemu-img info did not answer JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("format").isTextual() || !root.path("virtual-size").canConvertToLong()) {
            throw new IllegalArgumentException("qemu-img info answered JSON without format and virtual-size");
        }
        JsonNode data = root.path("format-specific").path("data");
        return new QemuImgInfo(root.get("format").asText(), root.get("virtual-size").asLong(),
                text(root.path("backing-filename")), text(data.path("data-file")), data.path("corrupt").asBoolean(false));
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }
}
