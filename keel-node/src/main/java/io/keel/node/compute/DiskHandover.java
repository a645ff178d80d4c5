package io.keel.node.compute;

import java.io.IOException;

/**
 * Takes the write lease of a volume for this node's standby opens of it, at a live migration's
 * switch-over (the NBD exports implement it, ADR 0019).
 */
@FunctionalInterface
public interface DiskHandover {
    /** Waits a bounded time for the old holder to let go; fails when it does not. */
    void activate(String volumeId) throws IOException;
}
