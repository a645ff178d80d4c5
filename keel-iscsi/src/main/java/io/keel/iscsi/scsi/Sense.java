package io.keel.iscsi.scsi;

/**
 * Fixed-format sense data (SPC-4 section 4.5.3) and the conditions the block commands report.
 *
 * @param information       the INFORMATION field, reported when {@code informationValid}
 * @param fieldPointer      for ILLEGAL REQUEST: byte of the CDB (or parameter list) at fault, or -1
 * @param inCdb             whether {@code fieldPointer} points into the CDB (else the parameter data)
 */
public record Sense(int key, int asc, int ascq, boolean informationValid, long information, int fieldPointer,
        boolean inCdb) {

    public static final int NO_SENSE = 0x0;
    public static final int NOT_READY = 0x2;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int HARDWARE_ERROR = 0x4;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int ABORTED_COMMAND = 0xb;
    public static final int MISCOMPARE = 0xe;

    public static Sense of(int key, int asc, int ascq) {
        return new Sense(key, asc, ascq, false, 0, -1, false);
    }

    public static Sense invalidOpcode() {
        return new Sense(ILLEGAL_REQUEST, 0x20, 0x00, false, 0, 0, true);
    }

    public static Sense invalidFieldInCdb(int bytePosition) {
        return new Sense(ILLEGAL_REQUEST, 0x24, 0x00, false, 0, bytePosition, true);
    }

    public static Sense invalidFieldInParameters(int bytePosition) {
        return new Sense(ILLEGAL_REQUEST, 0x26, 0x00, false, 0, bytePosition, false);
    }

    public static Sense parameterListLength() {
        return of(ILLEGAL_REQUEST, 0x1a, 0x00);
    }

    public static Sense lbaOutOfRange() {
        return of(ILLEGAL_REQUEST, 0x21, 0x00);
    }

    public static Sense lunNotSupported() {
        return of(ILLEGAL_REQUEST, 0x25, 0x00);
    }

    public static Sense writeProtected() {
        return of(DATA_PROTECT, 0x27, 0x00);
    }

    public static Sense miscompare(long offset) {
        return new Sense(MISCOMPARE, 0x1d, 0x00, true, offset, -1, false);
    }

    public static Sense readError() {
        return of(MEDIUM_ERROR, 0x11, 0x00);
    }

    public static Sense writeError() {
        return of(MEDIUM_ERROR, 0x0c, 0x00);
    }

    public static Sense spaceAllocationFailed() {
        return of(DATA_PROTECT, 0x27, 0x07);
    }

    public static Sense noSense() {
        return of(NO_SENSE, 0, 0);
    }

    /** The 18-byte fixed-format sense data. */
    public byte[] fixed() {
        byte[] s = new byte[18];
        s[0] = (byte) (informationValid ? 0xf0 : 0x70);
        s[2] = (byte) key;
        if (informationValid) {
            s[3] = (byte) (information >>> 24);
            s[4] = (byte) (information >>> 16);
            s[5] = (byte) (information >>> 8);
            s[6] = (byte) information;
        }
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        if (fieldPointer >= 0) {
            s[15] = (byte) (0x80 | (inCdb ? 0x40 : 0));
            s[16] = (byte) (fieldPointer >>> 8);
            s[17] = (byte) fieldPointer;
        }
        return s;
    }
}
