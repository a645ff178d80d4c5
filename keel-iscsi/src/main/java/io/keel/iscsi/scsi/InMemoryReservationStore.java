package io.keel.iscsi.scsi;

import java.util.Objects;
import java.util.Optional;

/** A {@link ReservationStore} in memory: for one standalone target, and for tests of several "nodes" sharing one. */
public final class InMemoryReservationStore implements ReservationStore {
    private Stored current;

    @Override
    public synchronized Optional<Stored> load() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized boolean replace(long expectedVersion, String state) {
        Objects.requireNonNull(state, "state");
        long version = current == null ? 0 : current.version();
        if (version != expectedVersion) {
            return false;
        }
        current = new Stored(version + 1, state);
        return true;
    }
}
