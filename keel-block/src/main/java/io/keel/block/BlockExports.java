package io.keel.block;

import java.util.List;
import java.util.Optional;

/**
 * The named block devices a protocol server may hand out, and the policy for handing them out.
 * Implementations must be thread-safe: every connection calls in from its own thread.
 */
public interface BlockExports {

    /**
     * Opens a new handle onto the export, or returns empty if no such export exists.
     *
     * <p>With {@code writeAccess} the caller asks for a writable handle. An export that is read-only
     * by nature returns a handle whose {@link BlockDevice#readOnly()} is true. An export that could be
     * written but may not be written right now (for example because its write lease is held by
     * another node) throws {@link BlockIoException} of kind {@link BlockIoException.Kind#EPERM} whose
     * message tells the client why; protocol layers pass that text on to the client.
     */
    Optional<BlockDevice> open(String exportName, boolean writeAccess) throws BlockIoException;

    /**
     * Describes the export as {@code open(exportName, writeAccess)} would present it, so that a
     * client can be told about an export before it opens one, even while the export cannot be
     * opened for writing here (its write lease held elsewhere). Empty if no such export exists.
     * Whether a write open would succeed right now is not part of the answer.
     *
     * <p>The default opens a handle as asked and closes it again; if a write open is refused with
     * {@link BlockIoException.Kind#EPERM} (which by {@link #open}'s contract means the export is
     * writable but not now), it describes a read-only handle and reports it writable. Exports
     * whose opens are costly or have side effects (acquiring a lease, raising a fencing epoch)
     * should override this to answer from their metadata without opening anything.
     *
     * @throws BlockIoException as {@link #open} would
     */
    default Optional<ExportInfo> info(String exportName, boolean writeAccess) throws BlockIoException {
        Optional<BlockDevice> device;
        boolean refusedWrite = false;
        try {
            device = open(exportName, writeAccess);
        } catch (BlockIoException e) {
            if (!writeAccess || e.kind() != BlockIoException.Kind.EPERM) {
                throw e;
            }
            device = open(exportName, false);
            refusedWrite = true;
        }
        if (device.isEmpty()) {
            return Optional.empty();
        }
        try (BlockDevice d = device.get()) {
            return Optional.of(new ExportInfo(d.size(), d.blockSize(), !refusedWrite && d.readOnly(),
                    d.multiConnSafe()));
        }
    }

    /** Names of the exports a client may list; the order is the order clients will see. */
    List<String> list();

    /** A human-readable description of the export, if there is one. */
    default Optional<String> description(String exportName) {
        return Optional.empty();
    }
}
