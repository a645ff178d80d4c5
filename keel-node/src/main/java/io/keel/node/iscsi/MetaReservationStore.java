package io.keel.node.iscsi;

import io.keel.api.ApiException;
import io.keel.iscsi.scsi.ReservationStore;
import io.keel.meta.cluster.IscsiCommand;
import io.keel.node.service.MetaGateway;
import java.util.Objects;
import java.util.Optional;

/**
 * A LUN's persistent reservations in the metadata (ADR 0033), shared by the targets of every node
 * of its group. Reads come from the local replica (every command that reservations may block
 * reads them); a replace is a compare-and-set command, after which the local replica has applied
 * it ({@link MetaGateway#submit} waits for that), so the next read sees it.
 */
public final class MetaReservationStore implements ReservationStore {
    private final MetaGateway meta;
    private final String volumeId;

    public MetaReservationStore(MetaGateway meta, String volumeId) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.volumeId = Objects.requireNonNull(volumeId, "volumeId");
    }

    @Override
    public Optional<Stored> load() {
        return meta.state().iscsi().reservation(volumeId).map(r -> new Stored(r.version(), r.state()));
    }

    @Override
    public boolean replace(long expectedVersion, String state) {
        try {
            meta.submit(new IscsiCommand.ReplaceReservation(volumeId, expectedVersion, state));
            return true;
        } catch (ApiException e) {
            if (e.status() == 409) {
                return false;
            }
            // Quorum lost, or the LUN was removed meanwhile: the command fails, nothing changed.
            throw new IllegalStateException("persistent reservation of volume " + volumeId + " not stored: "
                    + e.getMessage(), e);
        }
    }
}
