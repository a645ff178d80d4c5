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

    /** Names of the exports a client may list; the order is the order clients will see. */
    List<String> list();

    /** A human-readable description of the export, if there is one. */
    default Optional<String> description(String exportName) {
        return Optional.empty();
    }
}
