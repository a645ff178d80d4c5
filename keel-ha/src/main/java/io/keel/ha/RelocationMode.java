package io.keel.ha;

/** How the cluster picks a node for a resource that must (re)start or move. */
public enum RelocationMode {
    /** The node with the most free resources (RAM and vCPUs, as fractions of its capacity). */
    DRS,
    /** The next node by name after the last one chosen, among those with capacity. */
    ROUND_ROBIN
}
