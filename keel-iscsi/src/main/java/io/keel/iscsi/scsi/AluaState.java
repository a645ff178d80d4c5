package io.keel.iscsi.scsi;

/**
 * The asymmetric access states we use (SPC-4 5.15.2.4), with their code in REPORT TARGET PORT
 * GROUPS and the ASCQ under LOGICAL UNIT NOT ACCESSIBLE (04h) that refuses commands in them.
 * Active/non-optimized is never used: a LUN has exactly one active path, where its volume is open.
 */
public enum AluaState {
    ACTIVE_OPTIMIZED(0x0, -1),
    STANDBY(0x2, 0x0b),
    UNAVAILABLE(0x3, 0x0c),
    TRANSITIONING(0xf, 0x0a);

    private final int code;
    private final int notReadyAscq;

    AluaState(int code, int notReadyAscq) {
        this.code = code;
        this.notReadyAscq = notReadyAscq;
    }

    public int code() {
        return code;
    }

    /** NOT READY, LOGICAL UNIT NOT ACCESSIBLE, with this state's reason. */
    Sense notReady() {
        return Sense.of(Sense.NOT_READY, 0x04, notReadyAscq);
    }
}
