package io.keel.storage.volume;

import java.util.List;

/** Chooses where new chunk copies go: live chunk services with space, in failure domains apart from {@code existing}. */
public interface ReplicaPlacer {

    /**
     * Up to {@code count} replicas for chunk {@code index} of the volume, none sharing a failure
     * domain with each other or with {@code existing}. May return fewer (even none) when the
     * cluster has no more suitable services right now.
     */
    List<ReplicaRef> place(String volumeId, long index, int count, List<ReplicaRef> existing);
}
