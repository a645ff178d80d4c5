package io.keel.meta.cluster;

import io.keel.meta.store.KvWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The writes an accepted command will make, collected while it is validated and only applied
 * once validation is complete. Values are encoded when they are added, so an encoding failure
 * also happens before anything is written.
 */
final class Plan {
    private final ClusterCodec codec;
    private final String entityId;
    /** Insertion-ordered so that every replica issues the same writes in the same order; null deletes. */
    private final Map<String, byte[]> writes = new LinkedHashMap<>();

    Plan(ClusterCodec codec, String entityId) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.entityId = entityId;
    }

    Plan put(String key, Object value) {
        writes.put(key, codec.write(value));
        return this;
    }

    /** Adds {@code other}'s writes after this plan's: one command that is several (a VM and its new disks). */
    Plan merge(Plan other) {
        writes.putAll(other.writes);
        return this;
    }

    Plan delete(String key) {
        writes.put(key, null);
        return this;
    }

    CommandResult wouldApply() {
        return new CommandResult.Applied(entityId);
    }

    CommandResult applyTo(KvWriter kv) {
        writes.forEach((key, value) -> {
            if (value == null) {
                kv.delete(key);
            } else {
                kv.put(key, value);
            }
        });
        return new CommandResult.Applied(entityId);
    }
}
