package io.keel.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * Everything the cluster resource manager reads or changes. The real implementation reads the
 * metadata on the leader; the simulator's is virtual. The CRM gives orders only by saving the
 * manager status, which the LRMs read: it never touches a node directly.
 */
public interface CrmEnvironment {
    Instant now();

    /** The name of the node this CRM runs on (the metadata leader), for the events. */
    String node();

    ClusterSnapshot snapshot();

    /** The status the last CRM saved, on whichever leader it ran; empty on a new cluster. */
    Optional<ManagerStatus> loadStatus();

    /**
     * Persists the status through the metadata log. The real implementation must make it a write
     * conditional on still being the leader, so a deposed CRM's late write is refused.
     */
    void saveStatus(ManagerStatus status);

    void emit(HaEvent event);
}
