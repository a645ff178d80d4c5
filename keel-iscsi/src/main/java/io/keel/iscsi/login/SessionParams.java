package io.keel.iscsi.login;

/**
 * The operational parameters a login settled on (RFC 7143 section 13), as the full feature phase
 * uses them.
 *
 * @param initiatorMaxRecv the initiator's MaxRecvDataSegmentLength: the most data we put in one PDU
 * @param targetMaxRecv    ours: the most data we accept in one PDU
 */
public record SessionParams(boolean headerDigest, boolean dataDigest, int initiatorMaxRecv, int targetMaxRecv,
        int maxBurstLength, int firstBurstLength, boolean immediateData, boolean initialR2T, int maxOutstandingR2T,
        int defaultTime2Wait, int defaultTime2Retain, int errorRecoveryLevel, int maxConnections) {

    public SessionParams {
        if (initiatorMaxRecv < 512 || targetMaxRecv < 512 || maxBurstLength < 512 || firstBurstLength < 512
                || firstBurstLength > maxBurstLength || maxOutstandingR2T < 1) {
            throw new IllegalArgumentException("inconsistent session parameters " + this);
        }
    }

    /** RFC 7143 defaults, with the target's receive limit. */
    public static SessionParams defaults(int targetMaxRecv) {
        return new SessionParams(false, false, 8192, targetMaxRecv, 262144, 65536, true, true, 1, 2, 20, 0, 1);
    }
}
