package io.keel.meta.cluster;

/** The power state the administrator asked for; the host node's agent brings QEMU to it. */
public enum VmPower {
    RUNNING,
    PAUSED,
    STOPPED
}
