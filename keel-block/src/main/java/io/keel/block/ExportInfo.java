package io.keel.block;

/**
 * What a client is told about an export before it opens it (NBD_OPT_INFO, listings): the
 * properties a handle from {@link BlockExports#open} would have.
 *
 * @param size          bytes
 * @param blockSize     preferred I/O granularity, as {@link BlockDevice#blockSize()}
 * @param readOnly      whether the handle would refuse writes, as {@link BlockDevice#readOnly()}
 * @param multiConnSafe as {@link BlockDevice#multiConnSafe()}
 */
public record ExportInfo(long size, int blockSize, boolean readOnly, boolean multiConnSafe) {
    public ExportInfo {
        if (size < 0 || blockSize <= 0) {
            throw new IllegalArgumentException("invalid export info: size " + size + ", block size " + blockSize);
        }
    }

    /** The properties of an open handle. */
    public static ExportInfo of(BlockDevice device) {
        return new ExportInfo(device.size(), device.blockSize(), device.readOnly(), device.multiConnSafe());
    }
}
