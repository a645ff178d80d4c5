package io.keel.iscsi.scsi;

import java.util.Objects;

/**
 * One command as the transport hands it over.
 *
 * @param nexus          the I_T nexus (initiator port, target port), for persistent reservations
 * @param cdb            the CDB (16 bytes from the BHS; trailing bytes beyond the opcode's length are ignored)
 * @param dataOut        every byte the initiator sent for it
 * @param expectedLength the initiator's Expected Data Transfer Length
 */
public record ScsiRequest(Nexus nexus, byte[] cdb, byte[] dataOut, int expectedLength) {
    public ScsiRequest {
        Objects.requireNonNull(nexus, "nexus");
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(dataOut, "dataOut");
    }

    /** Identifies an I_T nexus: the initiator port name (IQN plus ISID) and our relative target port. */
    public record Nexus(String initiatorPort, int relativeTargetPort) {
        public Nexus {
            Objects.requireNonNull(initiatorPort, "initiatorPort");
        }
    }

    public int u8(int i) {
        return cdb[i] & 0xff;
    }

    public int u16(int i) {
        return (u8(i) << 8) | u8(i + 1);
    }

    public long u32(int i) {
        return ((long) u16(i) << 16) | u16(i + 2);
    }

    public long u64(int i) {
        return (u32(i) << 32) | u32(i + 4);
    }
}
