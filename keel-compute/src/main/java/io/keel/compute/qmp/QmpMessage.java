package io.keel.compute.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message QEMU sends, as {@link QmpCodec} decodes it. Jackson trees are mutable, so every tree
 * is copied on the way in and on the way out: a message can be shared between threads and logged
 * without anyone changing it underneath.
 */
public sealed interface QmpMessage permits QmpMessage.Greeting, QmpMessage.Return, QmpMessage.Error, QmpEvent {

    /** The first line on every connection: QEMU's version and the capabilities it offers. */
    record Greeting(ObjectNode version, List<String> capabilities) implements QmpMessage {
        public Greeting {
            version = Objects.requireNonNull(version, "version").deepCopy();
            capabilities = List.copyOf(capabilities);
        }

        @Override
        public ObjectNode version() {
            return version.deepCopy();
        }

        /** "major.minor.micro" from {@code version.qemu}, or "unknown" when QEMU did not say. */
        public String qemuVersion() {
            JsonNode q = version.path("qemu");
            if (!q.path("major").isIntegralNumber() || !q.path("minor").isIntegralNumber() || !q.path("micro").isIntegralNumber()) {
                return "unknown";
            }
            return q.get("major").asText() + "." + q.get("minor").asText() + "." + q.get("micro").asText();
        }
    }

    /** A command's successful result; {@code id} echoes the command's id when it had one. */
    record Return(Optional<JsonNode> id, JsonNode value) implements QmpMessage {
        public Return {
            id = Objects.requireNonNull(id, "id").map(JsonNode::deepCopy);
            value = Objects.requireNonNull(value, "value").deepCopy();
        }

        @Override
        public Optional<JsonNode> id() {
            return id.map(JsonNode::deepCopy);
        }

        @Override
        public JsonNode value() {
            return value.deepCopy();
        }
    }

    /** A command's failure: QEMU's error class (machine-readable) and description (for people). */
    record Error(Optional<JsonNode> id, String errorClass, String description) implements QmpMessage {
        public Error {
            id = Objects.requireNonNull(id, "id").map(JsonNode::deepCopy);
            Objects.requireNonNull(errorClass, "errorClass");
            Objects.requireNonNull(description, "description");
        }

        @Override
        public Optional<JsonNode> id() {
            return id.map(JsonNode::deepCopy);
        }
    }
}
