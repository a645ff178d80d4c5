package io.keel.s3store.data;

import java.io.IOException;
import java.util.Optional;

/**
 * Durable allocation records of the data volumes (ADR 0042): per volume a high-water mark below
 * which offsets may have been handed out, and per writer the volume it currently appends to.
 *
 * <p>The allocator never writes a byte at an offset before a reservation covering it is durable
 * here, and a writer that opens a volume continues only past its mark. So neither a restart nor a
 * takeover by another gateway ever hands out space an acknowledged object may occupy, without a
 * record per PUT. Both changes are compare-and-set: a writer that lost a volume learns it from a
 * refused change instead of silently sharing space.
 */
public interface ReservationLog {

    /** The volume's high-water mark: 0 when nothing was ever reserved in it. */
    long highWater(String volumeId) throws IOException;

    /**
     * Raises the volume's mark from exactly {@code from} to {@code upTo}. Returns the mark after the
     * call: {@code upTo} when it was raised, the unchanged current mark when it was not {@code from}
     * (another writer moved it). Durable on return.
     *
     * @throws IllegalArgumentException unless {@code 0 <= from < upTo}
     */
    long reserve(String volumeId, long from, long upTo) throws IOException;

    /** The volume {@code writer} appends to, if it ever activated one. */
    Optional<String> activeVolume(String writer) throws IOException;

    /**
     * Makes {@code next} the writer's volume if its current one is {@code expected} (null: none yet).
     * Returns false, changing nothing, when it is not.
     */
    boolean activate(String writer, String expected, String next) throws IOException;
}
