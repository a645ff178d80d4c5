package io.keel.ha;

/** The CRM's state of one resource, persisted in the manager status. */
public enum ResourceState {
    /** Should run on its node; the LRM there starts and monitors it. */
    STARTED,
    STOPPED,
    /** The LRM of its node must stop it; stopped when it says so. */
    REQUEST_STOP,
    /** Live-migrating from its node to the target. */
    MIGRATE,
    /** Stopping on its node to start on the target. */
    RELOCATE,
    /** Runs nowhere and waits for a node with room (the reason is in the status). */
    RECOVERY,
    /** Its node is lost: nothing happens to it until that node's leases have expired. */
    FENCE,
    /** Failed beyond its restart and relocation limits; waits for an explicit start. */
    ERROR,
    /** Stopped cleanly for a graceful shutdown of its node; starts there when the node is back. */
    FREEZE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
