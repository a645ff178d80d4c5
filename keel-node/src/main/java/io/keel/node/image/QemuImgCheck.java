package io.keel.node.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code qemu-img check --output=json} found in a qcow2 file. Leaked clusters only waste
 * space, so they do not make a file bad; corruptions and errors while checking do.
 */
public record QemuImgCheck(long corruptions, long leaks, long checkErrors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the text is not qemu-img's JSON */
    public static QemuImgCheck parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("qemu-img check did not answer JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("qemu-img check did not answer a JSON object");
        }
        return new QemuImgCheck(root.path("corruptions").asLong(0), root.path("leaks").asLong(0),
                root.path("check-errors").asLong(0));
    }

    public boolean clean() {
        return corruptions == 0 && checkErrors == 0;
    }
}
