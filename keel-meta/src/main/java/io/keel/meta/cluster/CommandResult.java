package io.keel.meta.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/** What applying a {@link ClusterCommand} gave: applied, or rejected with a reason and no change. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CommandResult.Applied.class, name = "applied"),
    @JsonSubTypes.Type(value = CommandResult.Rejected.class, name = "rejected"),
})
public sealed interface CommandResult {

    /** {@code entityId} names what the command created or changed, when there is one. */
    record Applied(String entityId) implements CommandResult {}

    /**
     * {@code code} is machine-readable and maps to an HTTP status in the API: invalid (400),
     * not_found (404), conflict (409), forbidden (403).
     */
    record Rejected(String code, String message) implements CommandResult {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
