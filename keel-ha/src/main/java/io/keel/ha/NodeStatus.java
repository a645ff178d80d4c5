package io.keel.ha;

import java.time.Instant;
import java.util.Objects;

/**
 * The CRM's persisted record of one node.
 *
 * @param since        when it entered {@code state}
 * @param lastContact  its last heartbeat when it was found lost; null while it is not lost
 * @param blocked      the maintenance blockers last reported, so a blocked request is reported
 *                     once and again only when the blockers change; null when none
 * @param evacuated    maintenance finished moving everything movable off it
 */
public record NodeStatus(NodeState state, Instant since, Instant lastContact, String blocked, boolean evacuated) {
    public NodeStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    public static NodeStatus online(Instant now) {
        return new NodeStatus(NodeState.ONLINE, now, null, null, false);
    }

    public NodeStatus to(NodeState next, Instant now) {
        Instant contact = next == NodeState.ONLINE || next == NodeState.MAINTENANCE ? null : lastContact;
        return new NodeStatus(next, now, contact, next == NodeState.ONLINE ? blocked : null, false);
    }

    public NodeStatus lost(Instant now, Instant contact) {
        return new NodeStatus(NodeState.UNKNOWN, now, contact, null, false);
    }

    public NodeStatus withBlocked(String report) {
        return new NodeStatus(state, since, lastContact, report, evacuated);
    }

    public NodeStatus withEvacuated() {
        return new NodeStatus(state, since, lastContact, blocked, true);
    }
}
