package io.keel.iscsi.login;

/**
 * What the target offers in operational negotiation. The result of a min() key is never above
 * these; the booleans are the target's side of the AND/OR.
 *
 * @param allowDigests   CRC32C header and data digests are accepted when the initiator offers them
 * @param requireDigests None is refused for HeaderDigest and DataDigest: initiators list None
 *                       first, so this is the only way to have digests on a link that needs them
 */
public record TargetLimits(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
        int maxOutstandingR2T, boolean immediateData, boolean initialR2T, boolean allowDigests,
        boolean requireDigests) {

    public TargetLimits {
        if (maxRecvDataSegmentLength < 512 || maxRecvDataSegmentLength > (1 << 24) - 1 || maxBurstLength < 512
                || maxBurstLength > (1 << 24) - 1 || firstBurstLength < 512 || firstBurstLength > maxBurstLength
                || maxOutstandingR2T < 1 || maxOutstandingR2T > 65535 || (requireDigests && !allowDigests)) {
            throw new IllegalArgumentException("bad target limits " + this);
        }
    }

    /** 256 KiB PDUs, 1 MiB bursts, unsolicited data allowed: what Linux LIO offers too. */
    public static TargetLimits defaults() {
        return new TargetLimits(262144, 1 << 20, 262144, 16, true, false, true, false);
    }

    public TargetLimits withDigestsRequired() {
        return new TargetLimits(maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, maxOutstandingR2T,
                immediateData, initialR2T, true, true);
    }
}
