package io.keel.iscsi.pdu;

import java.util.Objects;

/**
 * One iSCSI PDU, decoded. Field names follow RFC 7143 section 11; sequence numbers and tags are
 * the raw 32-bit values (compare them with serial arithmetic), the LUN the raw 8-byte field.
 * Reserved bits are not carried: re-encoding a decoded PDU writes them as zero.
 */
public sealed interface Pdu {

    int opcode();

    /** The data segment, without padding; empty for PDUs that carry none. */
    default Segment data() {
        return Segment.EMPTY;
    }

    // ---- initiator to target ----

    record NopOut(boolean immediate, long lun, int itt, int ttt, int cmdSn, int expStatSn, Segment data)
            implements Pdu {
        public NopOut { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.NOP_OUT; }
    }

    /** Task attributes (byte 1, bits 0-2) and the CDB (up to 16 bytes; longer CDBs use an AHS we refuse). */
    record ScsiCommand(boolean immediate, boolean fin, boolean read, boolean write, int attributes, long lun,
            int itt, int expectedLength, int cmdSn, int expStatSn, Segment cdb, Segment data) implements Pdu {
        public ScsiCommand {
            Objects.requireNonNull(cdb, "cdb");
            Objects.requireNonNull(data, "data");
            if (cdb.length() != 16) {
                throw new IllegalArgumentException("the BHS CDB field is 16 bytes");
            }
        }
        public int opcode() { return Opcode.SCSI_COMMAND; }
    }

    record TaskMgmtRequest(boolean immediate, int function, long lun, int itt, int referencedTag, int cmdSn,
            int expStatSn, int refCmdSn, int expDataSn) implements Pdu {
        public int opcode() { return Opcode.TASK_MGMT_REQUEST; }
    }

    /** Stage codes: 0 security, 1 operational, 3 full feature. */
    record LoginRequest(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionMin,
            long isid, int tsih, int itt, int cid, int cmdSn, int expStatSn, Segment data) implements Pdu {
        public LoginRequest { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.LOGIN_REQUEST; }
    }

    record TextRequest(boolean immediate, boolean fin, boolean cont, long lun, int itt, int ttt, int cmdSn,
            int expStatSn, Segment data) implements Pdu {
        public TextRequest { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.TEXT_REQUEST; }
    }

    record DataOut(boolean fin, long lun, int itt, int ttt, int expStatSn, int dataSn, int bufferOffset,
            Segment data) implements Pdu {
        public DataOut { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.DATA_OUT; }
    }

    record LogoutRequest(boolean immediate, int reason, int itt, int cid, int cmdSn, int expStatSn)
            implements Pdu {
        public int opcode() { return Opcode.LOGOUT_REQUEST; }
    }

    record SnackRequest(int type, long lun, int itt, int ttt, int expStatSn, int begRun, int runLength)
            implements Pdu {
        public int opcode() { return Opcode.SNACK_REQUEST; }
    }

    // ---- target to initiator ----

    record NopIn(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, Segment data) implements Pdu {
        public NopIn { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.NOP_IN; }
    }

    /** Flags: bidi overflow/underflow and residual overflow/underflow (byte 1 o, u, O, U). */
    record ScsiResponse(boolean bidiOverflow, boolean bidiUnderflow, boolean overflow, boolean underflow,
            int response, int status, int itt, int snackTag, int statSn, int expCmdSn, int maxCmdSn,
            int expDataSn, int bidiResidual, int residual, Segment data) implements Pdu {
        public ScsiResponse { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.SCSI_RESPONSE; }
    }

    record TaskMgmtResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn) implements Pdu {
        public int opcode() { return Opcode.TASK_MGMT_RESPONSE; }
    }

    record LoginResponse(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionActive,
            long isid, int tsih, int itt, int statSn, int expCmdSn, int maxCmdSn, int statusClass,
            int statusDetail, Segment data) implements Pdu {
        public LoginResponse { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.LOGIN_RESPONSE; }
    }

    record TextResponse(boolean fin, boolean cont, long lun, int itt, int ttt, int statSn, int expCmdSn,
            int maxCmdSn, Segment data) implements Pdu {
        public TextResponse { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.TEXT_RESPONSE; }
    }

    /** With {@code statusPresent} the PDU also carries the command's status (phase collapse). */
    record DataIn(boolean fin, boolean ack, boolean overflow, boolean underflow, boolean statusPresent, int status,
            long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, int dataSn, int bufferOffset,
            int residual, Segment data) implements Pdu {
        public DataIn { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.DATA_IN; }
    }

    record LogoutResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn, int time2Wait,
            int time2Retain) implements Pdu {
        public int opcode() { return Opcode.LOGOUT_RESPONSE; }
    }

    record R2t(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, int r2tSn, int bufferOffset,
            int desiredLength) implements Pdu {
        public int opcode() { return Opcode.R2T; }
    }

    record AsyncMessage(long lun, int statSn, int expCmdSn, int maxCmdSn, int event, int vcode, int parameter1,
            int parameter2, int parameter3, Segment data) implements Pdu {
        public AsyncMessage { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.ASYNC_MESSAGE; }
    }

    /** The data segment is the rejected PDU's BHS. */
    record Reject(int reason, int statSn, int expCmdSn, int maxCmdSn, int dataSn, Segment data) implements Pdu {
        public Reject { Objects.requireNonNull(data, "data"); }
        public int opcode() { return Opcode.REJECT; }
    }
}
