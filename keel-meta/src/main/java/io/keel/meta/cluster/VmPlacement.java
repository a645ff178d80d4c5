package io.keel.meta.cluster;

/**
 * Where a VM may run when its node fails or is drained. Stored now; the HA engine acts on it.
 * AUTO: any compute node with room; FAILOVER: restarted elsewhere by HA; PINNED: only on its node.
 */
public enum VmPlacement {
    AUTO,
    FAILOVER,
    PINNED
}
