package io.keel.meta.raft;

import java.util.List;
import java.util.Objects;

/**
 * A point-in-time view of one metadata server.
 *
 * @param role LEADER, FOLLOWER, CANDIDATE, LISTENER or STOPPED
 * @param term the current Raft term (0 when stopped)
 * @param commitIndex the highest log index known committed (-1 when unknown)
 * @param appliedIndex the highest log index applied to the local state (-1 when none)
 * @param leaderId the id of the leader this server follows, or null when it knows none
 * @param members the voting members of the current configuration, sorted by id
 */
public record RaftStatus(String role, long term, long commitIndex, long appliedIndex, String leaderId,
        List<Peer> members) {
    public static final String STOPPED = "STOPPED";

    public RaftStatus {
        Objects.requireNonNull(role, "role");
        members = List.copyOf(members);
    }

    static RaftStatus stopped() {
        return new RaftStatus(STOPPED, 0, -1, -1, null, List.of());
    }
}
