package io.keel.ha;

/** How a resource may move between nodes. */
public enum Strategy {
    /** Placed by the relocation mode whenever it starts; moves on failure, maintenance and migrate-back. */
    AUTO,
    /** Starts on its own node; moves only when that node is lost, failing or in maintenance. */
    FAILOVER,
    /**
     * Never moves: stranded while its node is lost, kept stopped there when the node returns until
     * started by hand, and a running one blocks maintenance of its node.
     */
    PINNED
}
