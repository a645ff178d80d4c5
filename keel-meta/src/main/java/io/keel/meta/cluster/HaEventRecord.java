package io.keel.meta.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One cluster event of the HA engine as stored and served: its time, its kind (the engine's event
 * type, e.g. {@code NodeLost}) and the one-line text the engine wrote for it.
 *
 * @param seconds how long it took, for events that measure it (a recovery), else null
 */
public record HaEventRecord(long seq, Instant at, String type, String text, Double seconds) {
    public HaEventRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    HaEventRecord numbered(long n) {
        return new HaEventRecord(n, at, type, text, seconds);
    }
}
