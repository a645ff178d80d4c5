package io.keel.meta.cluster;

/** The power state the administrator asked for; the host node's agent brings QEMU to it. */
public enum VmPower {
    RUNNING,
    PAUSED,
    STOPPED,
    /** Saved to a state volume and not running (ADR 0021); left only by resume or a stop, which discards it. */
    SUSPENDED
}
