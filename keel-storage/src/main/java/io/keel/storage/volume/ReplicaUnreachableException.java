package io.keel.storage.volume;

import java.util.List;

/**
 * A chunk's replica set was not changed because a replica meant to stay could not be reached:
 * changing the set bumps the chunk's version, which would turn that replica, intact as far as
 * anyone knows, into a stale copy to rebuild at once. Its node may merely be missing; the repair
 * is tried again once it is back, or once it is given up after the grace period (ADR 0028).
 */
public final class ReplicaUnreachableException extends VolumeException {
    private final List<ReplicaRef> unreachable;

    public ReplicaUnreachableException(String volumeId, long index, List<ReplicaRef> unreachable) {
        super("chunk " + index + " of volume " + volumeId + " left as it is: replica(s) " + unreachable
                + " cannot be reached, and changing the chunk now would make them stale");
        this.unreachable = List.copyOf(unreachable);
    }

    public List<ReplicaRef> unreachable() {
        return unreachable;
    }
}
