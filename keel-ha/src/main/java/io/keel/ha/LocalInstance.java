package io.keel.ha;

import java.util.Objects;

/**
 * One instance of a resource on this node, as the node's hypervisor (or service supervisor) sees
 * it. A {@link State#FAILED} instance has {@code failure} saying why: its QEMU died, or it is
 * paused on an I/O error (still alive and holding its leases, so it must be killed, not ignored).
 */
public record LocalInstance(String resource, State state, String failure) {
    public enum State {
        STARTING,
        RUNNING,
        STOPPING,
        MIGRATING,
        FAILED
    }

    public LocalInstance {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(state, "state");
        if ((state == State.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failure reason goes with the failed state only");
        }
    }
}
