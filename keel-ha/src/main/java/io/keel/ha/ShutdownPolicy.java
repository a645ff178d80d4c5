package io.keel.ha;

/** What a graceful node shutdown does with the HA resources on that node. */
public enum ShutdownPolicy {
    /**
     * Live-migrate running resources (relocate those that cannot migrate) like maintenance does;
     * pinned ones, and those no node has room for, are stopped cleanly and frozen.
     */
    MIGRATE,
    /** Stop every resource cleanly and freeze it there: it starts again when the node is back. */
    FREEZE
}
