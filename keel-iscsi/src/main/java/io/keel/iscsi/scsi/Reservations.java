package io.keel.iscsi.scsi;

/**
 * Persistent reservations of one LUN (SPC-4 5.12): the PERSISTENT RESERVE IN / OUT commands and the
 * conflict check every other command passes first. The in-memory store serves one node; the
 * metadata-backed store that survives failover comes with target groups.
 */
public interface Reservations {

    /** Whether {@code cdb} from {@code nexus} must end in RESERVATION CONFLICT. */
    boolean conflicts(ScsiRequest.Nexus nexus, byte[] cdb);

    ScsiResult in(ScsiRequest r) throws SenseException;

    ScsiResult out(ScsiRequest r) throws SenseException;

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
