package io.keel.meta.cluster;

/**
 * What a VM is doing, as administrators of OpenStack and Virtuozzo know the states. BUILD until
 * its first start; ERROR carries the reason in {@link Vm#statusReason()}.
 */
public enum VmStatus {
    BUILD,
    ACTIVE,
    SHUTOFF,
    PAUSED,
    SUSPENDED,
    MIGRATING,
    ERROR
}
