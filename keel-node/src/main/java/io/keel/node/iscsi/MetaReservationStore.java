package io.keel.node.iscsi;

import io.keel.api.ApiException;
import io.keel.iscsi.scsi.ReservationStore;
import io.keel.meta.cluster.IscsiCommand;
import io.keel.node.service.MetaGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A LUN's persistent reservations in the metadata (ADR 0033), shared by the targets of every node
 * of its group. Every command that reservations may block reads them, so reads come from the
 * local metadata replica. A node without one would cross the network for each command; it keeps
 * what it read for {@link #REMOTE_REFRESH} instead, so a change made through another node reaches
 * it that much later (ADR 0033). A replace is a compare-and-set command, after which the local
 * replica has applied it ({@link MetaGateway#submit} waits for that), so the next read sees it.
 */
public final class MetaReservationStore implements ReservationStore {
    static final Duration REMOTE_REFRESH = Duration.ofMillis(200);

    private final MetaGateway meta;
    private final String volumeId;
    private final Clock clock;
    private volatile Cached cached;

    private record Cached(Optional<Stored> stored, Instant until) {}

    public MetaReservationStore(MetaGateway meta, String volumeId, Clock clock) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.volumeId = Objects.requireNonNull(volumeId, "volumeId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Stored> load() {
        if (meta.readsLocally()) {
            return read();
        }
        Cached c = cached;
        Instant now = clock.instant();
        if (c == null || now.isAfter(c.until())) {
            c = new Cached(read(), now.plus(REMOTE_REFRESH));
            cached = c;
        }
        return c.stored();
    }

    private Optional<Stored> read() {
        return meta.state().iscsi().reservation(volumeId).map(r -> new Stored(r.version(), r.state()));
    }

    @Override
    public boolean replace(long expectedVersion, String state) {
        try {
            meta.submit(new IscsiCommand.ReplaceReservation(volumeId, expectedVersion, state));
            cached = null;
            return true;
        } catch (ApiException e) {
            if (e.status() == 409) {
                cached = null;
                return false;
            }
            // Quorum lost, or the LUN was removed meanwhile: the command fails, nothing changed.
            throw new IllegalStateException("persistent reservation of volume " + volumeId + " not stored: "
                    + e.getMessage(), e);
        }
    }
}
