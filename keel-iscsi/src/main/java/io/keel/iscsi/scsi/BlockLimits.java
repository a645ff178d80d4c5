package io.keel.iscsi.scsi;

/** The limits advertised in the Block Limits VPD page and enforced by the commands. */
public record BlockLimits(int maxTransferBlocks, int optimalTransferBlocks, int maxUnmapBlocks,
        int maxUnmapDescriptors, long maxWriteSameBlocks, int maxCompareAndWrite) {

    public BlockLimits {
        if (maxTransferBlocks < 1 || optimalTransferBlocks < 1 || maxUnmapBlocks < 1 || maxUnmapDescriptors < 1
                || maxWriteSameBlocks < 1 || maxCompareAndWrite < 1 || maxCompareAndWrite > 255) {
            throw new IllegalArgumentException("bad block limits " + this);
        }
    }

    /** 8 MiB transfers at most whatever the block size, in line with the session's buffering. */
    public static BlockLimits forBlockSize(int blockSize) {
        int maxTransfer = (8 << 20) / blockSize;
        // WRITE SAME moves one block over the wire, but initiators (libiscsi's tests among them)
        // follow a large WRITE SAME with a READ of the same extent: keep it within one transfer.
        return new BlockLimits(maxTransfer, (1 << 20) / blockSize, (64 << 20) / blockSize, 64, maxTransfer, 8);
    }
}
