package io.keel.iscsi.scsi;

import java.util.Optional;

/**
 * Persistent reservations of one LUN (SPC-4 5.12): the PERSISTENT RESERVE IN / OUT commands, the
 * conflict check every other command passes first, and the unit attentions reservation changes
 * owe to I_T nexuses. {@link StoredReservations} is the implementation, over a store that a target
 * group shares.
 */
public interface Reservations {

    /** Whether {@code cdb} from {@code nexus} must end in RESERVATION CONFLICT. Runs on every command. */
    boolean conflicts(ScsiRequest.Nexus nexus, byte[] cdb);

    ScsiResult in(ScsiRequest r) throws SenseException;

    ScsiResult out(ScsiRequest r) throws SenseException;

    /** A unit attention owed to {@code nexus} (reservations preempted, released, cleared), consumed. */
    default Optional<Sense> takeUnitAttention(ScsiRequest.Nexus nexus) {
        return Optional.empty();
    }

    /** Drops what an I_T nexus loss drops (nothing persistent: registrations survive, SPC-4 5.12.3). */
    default void nexusLost(ScsiRequest.Nexus nexus) {}

    /** Reservations that refuse the PR commands; nothing ever conflicts. */
    static Reservations unsupported() {
        return new Reservations() {
            @Override
            public boolean conflicts(ScsiRequest.Nexus nexus, byte[] cdb) {
                return false;
            }

            @Override
            public ScsiResult in(ScsiRequest r) throws SenseException {
                throw new SenseException(Sense.invalidOpcode());
            }

            @Override
            public ScsiResult out(ScsiRequest r) throws SenseException {
                throw new SenseException(Sense.invalidOpcode());
            }
        };
    }
}
