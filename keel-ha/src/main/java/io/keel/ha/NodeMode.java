package io.keel.ha;

/** What the administrator (or the node itself, for a shutdown) asked of a node. */
public enum NodeMode {
    ACTIVE,
    /** Evacuate and leave the scheduling pool until the administrator says leave. */
    MAINTENANCE,
    /** The node is shutting down gracefully: move or freeze its resources by the shutdown policy. */
    SHUTDOWN
}
